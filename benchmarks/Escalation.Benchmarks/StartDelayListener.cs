using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Escalation.Core.Workflow;

namespace Escalation.Benchmarks;

/// <summary>
/// Records the app's <see cref="Core.EscalationTelemetry.StartDelay"/>: how long after intake answered each new
/// ticket's orchestration was scheduled (ADR 12), with the time it was, so that each phase can be read separately.
/// </summary>
internal sealed class StartDelayListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(DateTimeOffset At, double Milliseconds)> _delays = new();

    public StartDelayListener()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == Core.EscalationTelemetry.Name && instrument.Name == Core.EscalationTelemetry.StartDelay)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) => _delays.Enqueue((DateTimeOffset.UtcNow, value)));
        _listener.Start();
    }

    /// <summary>The delays recorded in [from, to), and when the last of them was recorded.</summary>
    public (double[] Milliseconds, DateTimeOffset? Last) Between(DateTimeOffset from, DateTimeOffset to)
    {
        var inside = _delays.Where(d => d.At >= from && d.At < to).ToList();
        return ([.. inside.Select(d => d.Milliseconds)], inside.Count > 0 ? inside.Max(d => d.At) : null);
    }

    public void Dispose() => _listener.Dispose();
}
