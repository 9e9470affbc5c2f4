using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Escalation.Core.Workflow;

/// <summary>
/// Schedules the orchestrations of newly stored tickets off the request path: intake answers once the ticket is stored
/// and queues its start here, where a few background workers schedule it right away (docs/decisions/0012). A start
/// that fails is tried again with backoff; one that still fails, or that a stopping process did not get to, is made
/// by the sweep from the ticket document (ADR 7), so a ticket is never left unwatched. Its workers start with it
/// (anywhere it is resolved); as a hosted service, the host's shutdown waits for the queue (<see cref="StopAsync"/>).
/// </summary>
public sealed class OrchestrationStarter : IHostedService, IDisposable
{
    /// <summary>Starts in flight at once: as many as 8 concurrent requests had when intake waited for them.</summary>
    public const int Workers = 8;

    /// <summary>The waits between attempts of a failing start (about a minute in all) before it is left to the sweep.</summary>
    public static readonly IReadOnlyList<TimeSpan> RetryDelays =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(16), TimeSpan.FromSeconds(32)];

    private readonly Channel<PendingStart> _pending = Channel.CreateUnbounded<PendingStart>();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<OrchestrationStarter> _logger;
    private readonly Task[] _workers;
    private int _queued;
    private int _disposed;

    public OrchestrationStarter(TimeProvider timeProvider, ILogger<OrchestrationStarter> logger)
    {
        _timeProvider = timeProvider;
        _logger = logger;
        _stoppingToken = _stopping.Token;
        _workers = [.. Enumerable.Range(0, Workers).Select(_ => Task.Run(RunAsync))];
    }

    /// <summary>Starts queued or being tried, for health and tests.</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>Queues <paramref name="start"/> (which must be idempotent: it may also be made by the sweep).</summary>
    public void Enqueue(string ticketNumber, Func<CancellationToken, Task> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        Interlocked.Increment(ref _queued);
        EscalationTelemetry.StartQueued();
        if (!_pending.Writer.TryWrite(new PendingStart(ticketNumber, start, _timeProvider.GetTimestamp())))
        {
            Interlocked.Decrement(ref _queued);
            EscalationTelemetry.StartDequeued(null);
            Log.OrchestrationStartLeftToSweep(_logger, ticketNumber, "the process is stopping");
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Takes no more starts and makes the queued ones, until the host's shutdown timeout ends the wait.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_workers).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Log.OrchestrationStartsLeftToSweep(_logger, Queued);
            await _stopping.CancelAsync();
        }
    }

    /// <summary>
    /// Stops without waiting: a start in flight is cancelled, the queued ones are left to the sweep. Idempotent: the
    /// container disposes this singleton twice, once as itself and once as the hosted service.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _pending.Writer.TryComplete();
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        await foreach (var start in _pending.Reader.ReadAllAsync(CancellationToken.None))
        {
            var delay = _stoppingToken.IsCancellationRequested ? null : await MakeAsync(start);
            Interlocked.Decrement(ref _queued);
            EscalationTelemetry.StartDequeued(delay);
        }
    }

    /// <summary>Makes the start, retrying; how long after it was queued it was made, or null when it was left to the sweep.</summary>
    private async Task<TimeSpan?> MakeAsync(PendingStart start)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using (EscalationTelemetry.StartTicketActivity("orchestration start", start.TicketNumber))
                {
                    await start.Start(_stoppingToken);
                }

                return _timeProvider.GetElapsedTime(start.QueuedAt);
            }
#pragma warning disable CA1031 // Whatever the backend throws, the start is tried again and then left to the sweep; the worker goes on.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                if (_stoppingToken.IsCancellationRequested)
                {
                    return null;
                }

                if (attempt == RetryDelays.Count)
                {
                    Log.OrchestrationStartLeftToSweep(_logger, start.TicketNumber, exception.Message);
                    return null;
                }

                Log.OrchestrationStartRetried(_logger, start.TicketNumber, attempt + 1, exception.Message);
            }

            try
            {
                await Task.Delay(RetryDelays[attempt], _timeProvider, _stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    private sealed record PendingStart(string TicketNumber, Func<CancellationToken, Task> Start, long QueuedAt);
}
