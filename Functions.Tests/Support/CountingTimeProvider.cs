using Microsoft.Extensions.Time.Testing;

namespace Escalation.Tests.Support;

/// <summary>A fake clock that counts the timers created on it, so that a test advances it only once the code waits on it.</summary>
internal sealed class CountingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private int _timersCreated;

    public int TimersCreated => Volatile.Read(ref _timersCreated);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Counted once the fake clock holds the timer: a test that advances the clock on seeing the count must not
        // advance it before the timer is there to fire (the advance would be lost and the test wait forever).
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _timersCreated);
        return timer;
    }
}
