namespace Escalation.Benchmarks;

/// <summary>Nearest-rank percentiles of a sample (p99 of fewer than 100 values is the maximum).</summary>
internal sealed record Stats(int Count, double P50, double P90, double P99, double Max, double Min)
{
    public static Stats Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return new Stats(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var sorted = values.Order().ToArray();
        double Rank(double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return new Stats(sorted.Length, Rank(0.50), Rank(0.90), Rank(0.99), sorted[^1], sorted[0]);
    }

    /// <summary>Runs <paramref name="run"/> once to warm up, then <paramref name="rounds"/> times: its first result and the milliseconds of the timed runs.</summary>
    public static async Task<(T First, Stats Milliseconds)> TimeAsync<T>(int rounds, Func<Task<T>> run)
    {
        var first = await run();
        var timings = new List<double>(rounds);
        for (var i = 0; i < rounds; i++)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await run();
            timings.Add(watch.Elapsed.TotalMilliseconds);
        }

        return (first, Of(timings));
    }

    public object ToJson() => new
    {
        n = Count,
        p50 = Round(P50),
        p90 = Round(P90),
        p99 = Round(P99),
        max = Round(Max),
        min = Round(Min),
    };

    private static double? Round(double value) => double.IsNaN(value) ? null : Math.Round(value, 3);
}
