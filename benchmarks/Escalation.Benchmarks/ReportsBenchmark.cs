using System.Diagnostics;
using System.Text.Json;
using Escalation.Core;
using Escalation.Core.Escalations;
using Escalation.Core.Reporting;
using Escalation.Core.Tickets;

namespace Escalation.Benchmarks;

/// <summary>
/// A year of tickets in the reporting read model (ADR 10), projected by the projection's own code into the local
/// Cosmos server, and the latency of the reports over it. The ticket documents themselves are not stored: a report
/// never reads them, and projecting versions in batches is what the change-feed run does.
/// </summary>
internal static class ReportsBenchmark
{
    /// <summary>A desk of 50 agents in 10 teams (the demo directory's three teams and seven more), as in docs/cost.md.</summary>
    internal static readonly string[][] Staff =
    [
        ["service-desk", "agent-ann", "agent-ben", "lead-desk", "agent-d4", "agent-d5"],
        ["network-team", "agent-bob", "lead-net", "agent-n3", "agent-n4", "agent-n5"],
        ["facilities-team", "fac-lead", "agent-f2", "agent-f3", "agent-f4", "agent-f5"],
        .. Enumerable.Range(4, 7).Select(t => (string[])[$"team-{t:D2}", .. Enumerable.Range(1, 5).Select(a => $"agent-{t:D2}-{a}")]),
    ];

    private static readonly string[] Requesters = ["point-pat", "prof-paul", "dean-science", "fac-mgr"];

    public static async Task<int> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        await using var servers = await LocalServers.StartAsync(azuriteDebugLog: null, cancellationToken);
        await using var mail = await MailCapture.StartAsync(cancellationToken);
        await using var app = await BenchApp.StartAsync(servers, mail, TimeSpan.FromDays(2), cancellationToken);
        var directory = await app.LoadDemoDirectoryAsync(cancellationToken);
        var projection = app.Get<ReportProjection>();
        var reader = app.Get<IReportReader>();

        var end = DateTimeOffset.UtcNow.Date;
        var start = new DateTimeOffset(end.AddDays(-365), TimeSpan.Zero);
        var load = Stopwatch.StartNew();
        foreach (var batch in Tickets(options.Tickets, start).Chunk(2_000))
        {
            await projection.ApplyAsync(batch, directory, cancellationToken);
        }

        load.Stop();
        var days = await app.Get<ReadModelStore>().DaysAsync(DateOnly.MinValue, DateOnly.MaxValue, cancellationToken);
        var bytes = days.Sum(d => JsonSerializer.SerializeToUtf8Bytes(d, EscalationJson.Options).Length);
        var summaries = await app.Get<ReadModelStore>().SummariesAsync(DateOnly.MinValue, DateOnly.MaxValue, cancellationToken);
        var summaryBytes = summaries.Sum(d => JsonSerializer.SerializeToUtf8Bytes(d, EscalationJson.Options).Length);
        Console.WriteLine($"Loaded {options.Tickets:N0} tickets of {Staff.Sum(t => t.Length - 1)} agents in {Staff.Length} teams into {days.Count} day "
            + $"documents ({bytes / 1024.0 / 1024.0:F1} MB) and {summaries.Count} day summaries ({summaryBytes / 1024.0 / 1024.0:F2} MB) in {load.Elapsed.TotalSeconds:F1} s");

        var today = DateOnly.FromDateTime(end);
        var year = new ReportPeriod(today.AddDays(-365), today);
        var month = new ReportPeriod(today.AddDays(-29), today);
        var readModel = app.Get<ReadModelStore>();
        var cases = new (string Name, Func<Task<int>> Run)[]
        {
            ("day documents, 1 year", async () => (await readModel.DaysAsync(year.From, year.To, cancellationToken)).Count),
            ("day summaries, 1 year", async () => (await readModel.SummariesAsync(year.From, year.To, cancellationToken)).Count),
            ("sla by team, 1 year", async () => (await reader.SlaAsync(ReportScope.Everything, year, ReportGrouping.Team, cancellationToken)).Total.Opened),
            ("sla by agent, 1 year", async () => (await reader.SlaAsync(ReportScope.Everything, year, ReportGrouping.Agent, cancellationToken)).Total.Opened),
            ("sla by team, 30 days", async () => (await reader.SlaAsync(ReportScope.Everything, month, ReportGrouping.Team, cancellationToken)).Total.Opened),
            ("sla by area, 1 year", async () => (await reader.SlaAsync(ReportScope.Everything, year, ReportGrouping.Area, cancellationToken)).Total.Opened),
            ("sla one team, 1 year", async () => (await reader.SlaAsync(ReportScope.ForTeams(["network-team"]), year, ReportGrouping.Agent, cancellationToken)).Total.Opened),
            ("requesters, 1 year", async () => (await reader.RequestersAsync(ReportScope.Everything, year, cancellationToken)).Rows.Sum(r => r.Requested)),
            ("drill-down, 30 days", async () => (await reader.SlaTicketsAsync(ReportScope.Everything, month, ReportGrouping.Team, "network-team", SlaFigure.Breached, cancellationToken)).Count),
        };

        var results = new Dictionary<string, object>();
        Console.WriteLine($"{"report",-24} {"counted",9} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"max ms",8}");
        foreach (var (name, run) in cases)
        {
            var (counted, stats) = await Stats.TimeAsync(options.Rounds, run);
            Console.WriteLine($"{name,-24} {counted,9:N0} {stats.P50,8:F1} {stats.P90,8:F1} {stats.P99,8:F1} {stats.Max,8:F1}");
            results[name] = new { counted, latencyMs = stats.ToJson() };
        }

        Console.WriteLine("JSON " + JsonSerializer.Serialize(new
        {
            tickets = options.Tickets,
            agents = Staff.Sum(t => t.Length - 1),
            dayDocuments = days.Count,
            readModelBytes = bytes,
            summaryBytes,
            loadSeconds = Math.Round(load.Elapsed.TotalSeconds, 1),
            rounds = options.Rounds,
            reports = results,
        }));
        return 0;
    }

    /// <summary>
    /// Tickets spread evenly over the year: 85 % answered within the window (lognormal-ish times), 10 % breached and
    /// escalated, 5 % resolved without a response; one in fifty escalated by a manager.
    /// </summary>
    private static IEnumerable<Ticket> Tickets(int count, DateTimeOffset start)
    {
        var random = new Random(42);
        var step = TimeSpan.FromDays(365) / count;
        for (var i = 0; i < count; i++)
        {
            var team = Staff[random.Next(Staff.Length)];
            var agent = team[1 + random.Next(team.Length - 1)];
            var created = start + step * i;
            var ticket = Ticket.Open($"SD-{1000 + i}", Channel.Web, $"bench-{i}", new Requester("user-ursula", "Ursula User"),
                "Benchmark ticket", "A ticket of the reports benchmark.", null, Priority.Normal, new Assignment(team[0], agent), [],
                created, created + TimeSpan.FromDays(2));
            var fate = random.NextDouble();
            if (fate < 0.85)
            {
                ticket.Respond($"r{i}", agent, "On it", true, created + TimeSpan.FromMinutes(5 + (random.NextDouble() * random.NextDouble() * 2800)));
            }
            else if (fate < 0.95)
            {
                ticket.RecordSlaBreach(ticket.SlaDueAt);
                ticket.Respond($"r{i}", agent, "Sorry", true, ticket.SlaDueAt + TimeSpan.FromHours(3));
            }
            else
            {
                ticket.Resolve($"x{i}", agent, "Fixed", created + TimeSpan.FromHours(4));
            }

            if (i % 50 == 0)
            {
                var requester = Requesters[random.Next(Requesters.Length)];
                EscalationChanges.Request(ticket, new EscalationRequest(requester, requester, "Urgent for the department", EscalationChannel.Web,
                    created + TimeSpan.FromHours(1)), $"q{i}", "bench");
            }

            yield return ticket;
        }
    }
}
