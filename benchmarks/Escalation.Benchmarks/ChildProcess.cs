using System.Diagnostics;

namespace Escalation.Benchmarks;

/// <summary>What the benchmarks do with the servers and the Durable host they start as child processes.</summary>
internal static class ChildProcess
{
    /// <summary>CPU the process has used so far; zero once it has exited (or was never started).</summary>
    public static TimeSpan CpuOf(Process? process)
    {
        if (process is null || process.HasExited)
        {
            return TimeSpan.Zero;
        }

        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>Waits for a process that was asked to stop; one still running after <paramref name="grace"/> is killed by its PID.</summary>
    public static async Task WaitForExitOrKillAsync(Process process, TimeSpan grace)
    {
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
