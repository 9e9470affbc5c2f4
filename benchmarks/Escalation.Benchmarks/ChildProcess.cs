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

    /// <summary>
    /// Starts this program again with <paramref name="arguments"/> (a mode of its own), its standard input and output
    /// redirected for a line protocol; each line of its error stream goes to this console's, with <paramref name="prefix"/>.
    /// </summary>
    public static Process StartThisProgram(IEnumerable<string> arguments, string prefix = "")
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {string.Join(' ', start.ArgumentList.Take(2))}.");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine(prefix + e.Data);
            }
        };
        process.BeginErrorReadLine();
        return process;
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
