using Escalation.Benchmarks;

// benchmarks/run.sh builds this and passes its arguments through: see BenchmarkOptions.Usage. The engine starts it
// again as its Durable host process.
if (args is [DurableHostProcess.Mode, ..])
{
    return await DurableHostProcess.RunAsync(args);
}

if (args is [CrashInstance.Mode, ..])
{
    return await CrashInstance.RunAsync(args);
}

if (!BenchmarkOptions.TryParse(args, out var options, out var error))
{
    await Console.Error.WriteLineAsync(error);
    await Console.Error.WriteLineAsync(BenchmarkOptions.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Ctrl+C ends the run through the normal path, so the servers it started are stopped.
    e.Cancel = true;
    stop.Cancel();
};

try
{
    return options.Mode switch
    {
        BenchmarkMode.Lag => await LagBenchmark.RunAsync(options, stop.Token),
        BenchmarkMode.Escalate => await EscalationRequestBenchmark.RunAsync(options, stop.Token),
        BenchmarkMode.Intake => await IntakeBenchmark.RunAsync(options, stop.Token),
        BenchmarkMode.Reports => await ReportsBenchmark.RunAsync(options, stop.Token),
        BenchmarkMode.Worklist => await WorklistBenchmark.RunAsync(options, stop.Token),
        BenchmarkMode.Crash => await CrashBenchmark.RunAsync(options, stop.Token),
        _ => await IdleBenchmark.RunAsync(options, stop.Token),
    };
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("Stopped.");
    return 130;
}
