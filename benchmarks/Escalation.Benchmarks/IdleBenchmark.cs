using System.Globalization;
using System.Text.Json;
using Escalation.Functions.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Benchmarks;

/// <summary>
/// Counts the storage transactions of the Durable engine with nothing in flight: the app and its engine run with no
/// ticket, and every request Azurite receives in the measured window is counted from Azurite's request log, then
/// extrapolated to an hour.
/// </summary>
internal static class IdleBenchmark
{
    public static async Task<int> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var (polling, pollingSource) = options.Polling is { } given ? (given, "--polling") : (HostJson.MaxQueuePollingInterval(), "Functions/host.json");
        // The backend's queue polling backs off from 50 ms, doubling, to the maximum: about 51 s to reach 30 s.
        var warmup = options.Warmup ?? TimeSpan.FromSeconds(10) + (2 * polling);
        Console.WriteLine($"Idle storage transactions: maxQueuePollingInterval {Format(polling)} ({pollingSource}), "
            + $"warm-up {warmup.TotalSeconds:0} s, counted over {options.Idle.TotalSeconds:0} s");

        var work = Directory.CreateTempSubdirectory("escalation-bench-");
        try
        {
            var log = Path.Combine(work.FullName, "azurite-debug.log");
            List<StorageRequest> requests;
            int partitions;
            TimeSpan measured;
            await using (var servers = await LocalServers.StartAsync(log, cancellationToken))
            await using (var mail = await MailCapture.StartAsync(cancellationToken))
            await using (var app = await BenchApp.StartAsync(servers, mail, TimeSpan.FromSeconds(30), cancellationToken))
            {
                await app.LoadDemoDirectoryAsync(cancellationToken);
                var functions = ActivatorUtilities.CreateInstance<TicketOrchestrationFunctions>(app.Services);
                await using var engine = await AzureStorageDurableEngine.StartAsync(
                    servers.StorageConnectionString, "escalationbench", polling, functions, ActivatorUtilities.CreateInstance<EscalationOrchestrationFunctions>(app.Services), cancellationToken);
                partitions = engine.PartitionCount;
                await Task.Delay(warmup, cancellationToken);
                var from = DateTimeOffset.UtcNow;
                await Task.Delay(options.Idle, cancellationToken);
                var to = DateTimeOffset.UtcNow;
                measured = to - from;
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // let Azurite flush its log
                requests = [.. AzuriteRequestLog.Read(log, from, to)];
            }

            Report(requests, measured, polling, pollingSource, partitions, warmup);
            return requests.Count > 0 ? 0 : 1;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static void Report(List<StorageRequest> requests, TimeSpan measured, TimeSpan polling, string pollingSource, int partitions, TimeSpan warmup)
    {
        var perHour = 3600 / measured.TotalSeconds;
        long Hourly(int count) => (long)Math.Round(count * perHour);
        string[] services = ["queue", "table", "blob"];
        var byService = services.ToDictionary(s => s, s => requests.Count(r => r.Service == s), StringComparer.Ordinal);
        var operations = requests
            .GroupBy(r => (r.Service, r.Operation, r.Resource))
            .OrderBy(g => Array.IndexOf(services, g.Key.Service)).ThenByDescending(g => g.Count())
            .ToList();
        var polls = requests.Where(r => r.Service == "queue" && r.Operation == "GetMessages")
            .GroupBy(r => r.Resource, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"polling {Format(polling)}   measured {measured.TotalSeconds:0.0} s   requests {requests.Count}   per idle hour {Hourly(requests.Count)}"));
        Console.WriteLine($"{"service",-8}{"operation",-24}{"resource",-32}{"counted",9}{"per hour",10}");
        foreach (var group in operations)
        {
            Console.WriteLine($"{group.Key.Service,-8}{group.Key.Operation,-24}{group.Key.Resource,-32}{group.Count(),9}{Hourly(group.Count()),10}");
        }

        foreach (var service in services)
        {
            Console.WriteLine($"{service,-8}{"(all)",-24}{string.Empty,-32}{byService[service],9}{Hourly(byService[service]),10}");
        }

        Console.WriteLine($"queue polls (GetMessages) per queue per hour, {partitions} control queues + 1 work-item queue:");
        foreach (var (queue, count) in polls)
        {
            Console.WriteLine($"  {queue,-38}{Hourly(count),10}");
        }

        Console.WriteLine("JSON " + JsonSerializer.Serialize(new
        {
            benchmark = "idle-storage-transactions",
            pollingInterval = Format(polling),
            pollingSource,
            partitions,
            warmupSeconds = Math.Round(warmup.TotalSeconds, 1),
            measuredSeconds = Math.Round(measured.TotalSeconds, 1),
            counted = requests.Count,
            perHour = new
            {
                total = Hourly(requests.Count),
                queue = Hourly(byService["queue"]),
                table = Hourly(byService["table"]),
                blob = Hourly(byService["blob"]),
                queuePolls = Hourly(polls.Values.Sum()),
                queuePollsPerQueue = polls.ToDictionary(p => p.Key, p => Hourly(p.Value), StringComparer.Ordinal),
            },
        }));
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
