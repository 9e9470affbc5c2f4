using System.Diagnostics;
using System.Text.Json;
using Escalation.Core.Identity;
using Escalation.Core.Tickets;
using Escalation.Core.Worklist;

namespace Escalation.Benchmarks;

/// <summary>
/// The agents' worklist (ADR 14) over a desk's history: --tickets synthetic tickets, one in twenty still open, applied to
/// the worklist read model on the local Cosmos server by the projection's own code (an open ticket's entry is stored,
/// a resolved ticket's removed), then the latency of whole worklist pages (six counts and one page) per view.
/// </summary>
internal static class WorklistBenchmark
{
    /// <summary>The same desk as the reports benchmark: 50 agents in 10 teams.</summary>
    private static string[][] Staff => ReportsBenchmark.Staff;

    public static async Task<int> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        await using var servers = await LocalServers.StartAsync(azuriteDebugLog: null, cancellationToken);
        await using var mail = await MailCapture.StartAsync(cancellationToken);
        await using var app = await BenchApp.StartAsync(servers, mail, TimeSpan.FromDays(2), cancellationToken);
        var directory = await app.LoadDemoDirectoryAsync(cancellationToken);
        var store = app.Get<WorklistStore>();
        var worklist = app.Get<TicketWorklist>();
        var now = DateTimeOffset.UtcNow;

        var load = Stopwatch.StartNew();
        var open = 0;
        await Parallel.ForEachAsync(Tickets(options.Tickets, now), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (ticket, token) =>
            {
                var entry = WorklistEntry.For(ticket, calendar: null);
                if (entry is not null)
                {
                    Interlocked.Increment(ref open);
                }

                await store.ApplyAsync(ticket.Number, entry, token);
            });
        load.Stop();
        Console.WriteLine($"Applied {options.Tickets:N0} tickets ({open:N0} open) of {Staff.Sum(t => t.Length - 1)} agents in {Staff.Length} teams "
            + $"to the worklist in {load.Elapsed.TotalSeconds:F1} s");

        var agent = WorklistScope.For(new Caller("agent-ann", "Ann Agent", "ann.agent@example.edu", new HashSet<string> { Roles.Agent }), directory)!;
        var cio = WorklistScope.For(new Caller("cio", "Carmen Ortiz", "cio@example.edu", new HashSet<string> { Roles.Manager }), directory)!;
        var cases = new List<(string Name, WorklistScope Scope, WorklistRequest Request)>();
        foreach (var view in Enum.GetValues<WorklistView>())
        {
            cases.Add(($"agent {WorklistNames.Of(view)}", agent, new WorklistRequest(view, new WorklistFilter(), WorklistSort.Due, null, 50)));
        }

        cases.Add(("cio open", cio, new WorklistRequest(WorklistView.Open, new WorklistFilter(), WorklistSort.Due, null, 50)));
        cases.Add(("cio breached", cio, new WorklistRequest(WorklistView.Breached, new WorklistFilter(), WorklistSort.Due, null, 50)));
        cases.Add(("cio by priority", cio, new WorklistRequest(WorklistView.Open, new WorklistFilter(), WorklistSort.Priority, null, 50)));
        cases.Add(("cio text search", cio, new WorklistRequest(WorklistView.Open, new WorklistFilter(Text: "printer"), WorklistSort.Activity, null, 50)));

        var results = new Dictionary<string, object>();
        Console.WriteLine($"{"view (whole page)",-28} {"listed",7} {"in view",8} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"max ms",8}");
        foreach (var (name, scope, request) in cases)
        {
            var (first, stats) = await Stats.TimeAsync(options.Rounds, () => worklist.GetAsync(request, scope, cancellationToken));
            var inView = first.Value.Counts[WorklistNames.Of(request.View)];
            Console.WriteLine($"{name,-28} {first.Value.Tickets.Count,7} {inView,8:N0} {stats.P50,8:F1} {stats.P90,8:F1} {stats.P99,8:F1} {stats.Max,8:F1}");
            results[name] = new { listed = first.Value.Tickets.Count, inView, latencyMs = stats.ToJson() };
        }

        Console.WriteLine("JSON " + JsonSerializer.Serialize(new
        {
            tickets = options.Tickets,
            open,
            loadSeconds = Math.Round(load.Elapsed.TotalSeconds, 1),
            rounds = options.Rounds,
            pages = results,
        }));
        return 0;
    }

    /// <summary>Tickets of the last year; one in twenty is still open (its age up to four days, some answered, some past due).</summary>
    private static IEnumerable<Ticket> Tickets(int count, DateTimeOffset now)
    {
        var random = new Random(42);
        string[] subjects = ["Laptop will not boot", "Printer jammed", "VPN drops", "Password reset", "Projector in room 2.14", "Wi-Fi in the library"];
        for (var i = 0; i < count; i++)
        {
            var team = Staff[random.Next(Staff.Length)];
            var stillOpen = i % 20 == 0;
            var created = stillOpen ? now - TimeSpan.FromHours(random.NextDouble() * 96) : now - TimeSpan.FromDays(4 + (random.NextDouble() * 361));
            var agent = random.Next(3) == 0 ? null : team[1 + random.Next(team.Length - 1)];
            var ticket = Ticket.Open($"SD-{1000 + i}", Channel.Web, $"bench-{i}", new Requester("user-ursula", "Ursula User"),
                subjects[random.Next(subjects.Length)], "A ticket of the worklist benchmark.", null, (Priority)random.Next(4),
                new Assignment(team[0], agent), [], created, created + TimeSpan.FromDays(2));
            if (!stillOpen || random.Next(2) == 0)
            {
                ticket.Respond($"r{i}", agent ?? team[1], "On it", true, created + TimeSpan.FromHours(1));
            }

            if (!stillOpen)
            {
                ticket.Resolve($"x{i}", agent ?? team[1], "Fixed", created + TimeSpan.FromHours(3));
            }

            yield return ticket;
        }
    }
}
