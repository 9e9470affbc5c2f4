using System.Threading.Channels;
using Escalation.Core.Workflow;
using Escalation.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Escalation.Tests.Workflow;

/// <summary>
/// The background starter of new tickets' orchestrations (ADR 12): a failing start is tried again on its backoff and
/// then left to the sweep, one start's trouble does not hold up the others, and stopping drains the queue.
/// </summary>
public sealed class OrchestrationStarterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly CountingTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly Channel<string> _attempts = Channel.CreateUnbounded<string>();
    private int _timersAdvanced;

    [Fact]
    public async Task A_failing_start_is_tried_again_after_one_then_two_seconds_until_it_succeeds()
    {
        using var starter = new OrchestrationStarter(_time, NullLogger<OrchestrationStarter>.Instance);
        var failures = 2;
        starter.Enqueue("SD-1001", _ => Attempt("SD-1001", fail: failures-- > 0));

        (await NextAttemptAsync()).ShouldBe("SD-1001");
        await AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1));
        (await NextAttemptAsync()).ShouldBe("SD-1001");
        await AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(2));
        (await NextAttemptAsync()).ShouldBe("SD-1001");

        await WaitUntilAsync(() => starter.Queued == 0);
        _attempts.Reader.TryRead(out _).ShouldBeFalse("a start that succeeded is not made again");
    }

    [Fact]
    public async Task A_start_that_keeps_failing_is_left_to_the_sweep_after_its_retries_and_the_next_start_still_runs()
    {
        using var starter = new OrchestrationStarter(_time, NullLogger<OrchestrationStarter>.Instance);
        starter.Enqueue("SD-1001", _ => Attempt("SD-1001", fail: true));

        (await NextAttemptAsync()).ShouldBe("SD-1001");
        foreach (var delay in OrchestrationStarter.RetryDelays)
        {
            await AdvanceWhenWaitingAsync(delay);
            (await NextAttemptAsync()).ShouldBe("SD-1001");
        }

        await WaitUntilAsync(() => starter.Queued == 0);
        OrchestrationStarter.RetryDelays.Sum(d => d.TotalSeconds).ShouldBe(63, "about a minute, then the sweep (every 5 minutes) takes over");
        starter.Enqueue("SD-1002", _ => Attempt("SD-1002", fail: false));
        (await NextAttemptAsync()).ShouldBe("SD-1002");
        await WaitUntilAsync(() => starter.Queued == 0);
        _attempts.Reader.TryRead(out _).ShouldBeFalse("the given-up start is not tried again by the starter");
    }

    [Fact]
    public async Task A_start_waiting_for_its_retry_does_not_hold_up_the_others()
    {
        using var starter = new OrchestrationStarter(_time, NullLogger<OrchestrationStarter>.Instance);
        starter.Enqueue("SD-1001", _ => Attempt("SD-1001", fail: true));
        (await NextAttemptAsync()).ShouldBe("SD-1001");

        starter.Enqueue("SD-1002", _ => Attempt("SD-1002", fail: false));
        starter.Enqueue("SD-1003", _ => Attempt("SD-1003", fail: false));

        // No time passes: SD-1001 waits for its retry on one worker while the others start the rest (in either order).
        new[] { await NextAttemptAsync(), await NextAttemptAsync() }.ShouldBe(["SD-1002", "SD-1003"], ignoreOrder: true);
        await WaitUntilAsync(() => starter.Queued == 1);
    }

    [Fact]
    public async Task Stopping_makes_the_starts_still_queued_and_refuses_new_ones()
    {
        var gate = new TaskCompletionSource();
        using var starter = new OrchestrationStarter(_time, NullLogger<OrchestrationStarter>.Instance);
        var started = new List<string>();
        for (var i = 1; i <= 6; i++)
        {
            var number = $"SD-100{i}";
            starter.Enqueue(number, async _ =>
            {
                await gate.Task;
                lock (started)
                {
                    started.Add(number);
                }
            });
        }

        var stopping = starter.StopAsync(CancellationToken.None);
        starter.Enqueue("SD-2000", _ => Attempt("SD-2000", fail: false));
        gate.SetResult();
        await stopping.WaitAsync(Patience);

        started.ShouldBe(["SD-1001", "SD-1002", "SD-1003", "SD-1004", "SD-1005", "SD-1006"], ignoreOrder: true);
        _attempts.Reader.TryRead(out _).ShouldBeFalse("a start queued after stopping began is left to the sweep");
        starter.Queued.ShouldBe(0);
    }

    [Fact]
    public async Task When_the_host_stops_waiting_the_starts_still_queued_are_left_to_the_sweep()
    {
        using var starter = new OrchestrationStarter(_time, NullLogger<OrchestrationStarter>.Instance);
        var made = 0;
        for (var i = 0; i < OrchestrationStarter.Workers + 3; i++)
        {
            starter.Enqueue($"SD-10{i:00}", async token =>
            {
                await Task.Delay(Timeout.Infinite, token); // a backend that does not answer
                Interlocked.Increment(ref made);
            });
        }

        using var shutdownTimeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await starter.StopAsync(shutdownTimeout.Token).WaitAsync(Patience);

        await WaitUntilAsync(() => starter.Queued == 0);
        made.ShouldBe(0, "the hung starts were cancelled and the queued ones skipped, for the sweep to make");
    }

    private Task Attempt(string number, bool fail)
    {
        _attempts.Writer.TryWrite(number);
        return fail ? Task.FromException(new InvalidOperationException("The task hub is unavailable.")) : Task.CompletedTask;
    }

    private async Task<string> NextAttemptAsync() => await _attempts.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    /// <summary>
    /// Advances the clock by <paramref name="delay"/> once the starter waits on it: a moment short of the delay makes no
    /// attempt, the delay itself does (the worker creates its timer just after the failed attempt; advancing before
    /// that would be lost).
    /// </summary>
    private async Task AdvanceWhenWaitingAsync(TimeSpan delay)
    {
        await WaitUntilAsync(() => _time.TimersCreated > _timersAdvanced);
        _timersAdvanced++;
        _time.Advance(delay - TimeSpan.FromMilliseconds(1));
        _attempts.Reader.TryRead(out _).ShouldBeFalse($"no attempt before {delay.TotalSeconds} s");
        _time.Advance(TimeSpan.FromMilliseconds(1));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Yield();
            timeout.Token.ThrowIfCancellationRequested();
        }
    }
}
