using System.Diagnostics.Metrics;
using Escalation.Core;

namespace Escalation.Tests.Support;

/// <summary>
/// The app's measurements (meter <see cref="EscalationTelemetry.Name"/>) made in the async flow that created this
/// capture: tests of other classes running at the same time do not count.
/// </summary>
internal sealed class MetricCapture : IDisposable
{
    private static readonly AsyncLocal<MetricCapture?> Current = new();
    private readonly MeterListener _listener = new();
    private readonly List<(string Name, double Value, string Tags)> _measurements = [];

    public MetricCapture()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EscalationTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Current.Value?.Add(instrument.Name, value, Format(tags)));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Current.Value?.Add(instrument.Name, value, Format(tags)));
        _listener.Start();
        Current.Value = this;
    }

    /// <summary>The values of <paramref name="name"/>; with <paramref name="tags"/> ("channel=web,outcome=created") only those so tagged.</summary>
    public IReadOnlyList<double> Values(string name, string? tags = null)
    {
        lock (_measurements)
        {
            return [.. _measurements.Where(m => m.Name == name && (tags is null || m.Tags == tags)).Select(m => m.Value)];
        }
    }

    public double Sum(string name, string? tags = null) => Values(name, tags).Sum();

    public void Dispose() => _listener.Dispose();

    private static string Format(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (var (key, value) in tags)
        {
            parts.Add($"{key}={value}");
        }

        return string.Join(",", parts);
    }

    private void Add(string name, double value, string tags)
    {
        lock (_measurements)
        {
            _measurements.Add((name, value, tags));
        }
    }
}
