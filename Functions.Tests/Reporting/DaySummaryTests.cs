using Escalation.Core.Reporting;
using Escalation.Core.Sla;
using Escalation.Core.Tickets;
using Escalation.Tests.Support;

namespace Escalation.Tests.Reporting;

/// <summary>
/// The reports read the day summaries and the drill-downs read the day documents' tickets: over random days, every
/// figure of every row must count exactly the tickets its drill-down lists, and the percentiles must be those of the
/// tickets' own response times.
/// </summary>
public sealed class DaySummaryTests
{
    private static readonly string[][] Staff =
    [
        ["service-desk", "agent-ann", "agent-ben", "lead-desk"],
        ["network-team", "agent-bob", null!],
        ["facilities-team", "fac-lead"],
    ];

    private static readonly ReportPeriod Period = new(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));

    [Theory]
    [InlineData(1, ReportGrouping.Team)]
    [InlineData(2, ReportGrouping.Agent)]
    [InlineData(3, ReportGrouping.Area)]
    [InlineData(4, ReportGrouping.Division)]
    public void Every_figure_from_the_summaries_counts_the_tickets_its_drill_down_lists(int seed, ReportGrouping groupBy)
    {
        var days = RandomDays(new Random(seed));
        var calculator = Calculator(ReportScope.Everything);

        var report = calculator.Sla(Period, groupBy, [.. days.Select(DaySummaryDocument.Of)], new PendingDocument());

        report.Rows.Count.ShouldBeGreaterThan(1);
        report.Total.Opened.ShouldBe(days.Sum(d => d.Tickets.Count));
        foreach (var row in report.Rows)
        {
            List<ReportTicket> Tickets(SlaFigure figure) => [.. calculator.SlaTickets(groupBy, row.Key, figure, days, new PendingDocument())];
            var opened = Tickets(SlaFigure.Opened);
            row.Figures.Opened.ShouldBe(opened.Count);
            row.Figures.RespondedInTime.ShouldBe(Tickets(SlaFigure.RespondedInTime).Count);
            row.Figures.Breached.ShouldBe(Tickets(SlaFigure.Breached).Count);
            row.Figures.AutomaticEscalations.ShouldBe(Tickets(SlaFigure.AutomaticEscalations).Count);
            var responses = opened.Where(t => t.FirstResponseSeconds is not null).Select(t => t.FirstResponseSeconds!.Value).Order().ToList();
            row.Figures.MedianFirstResponseSeconds.ShouldBe(NearestRank(responses, 0.5));
            row.Figures.P90FirstResponseSeconds.ShouldBe(NearestRank(responses, 0.9));
        }

        report.Trend.Sum(p => p.RespondedInTime).ShouldBe(report.Total.RespondedInTime);
        report.Trend.Sum(p => p.Breached).ShouldBe(report.Total.Breached);
    }

    [Fact]
    public void A_scoped_report_from_the_summaries_shows_only_the_scope_and_an_agent_only_their_own_tickets()
    {
        var days = RandomDays(new Random(5));
        var summaries = days.Select(DaySummaryDocument.Of).ToList();

        var network = Calculator(ReportScope.ForTeams(["network-team"])).Sla(Period, ReportGrouping.Team, summaries, new PendingDocument());
        var ann = Calculator(ReportScope.ForAgent("agent-ann")).Sla(Period, ReportGrouping.Agent, summaries, new PendingDocument());

        network.Rows.Select(r => r.Key).ShouldBe(["network-team"]);
        network.Total.Opened.ShouldBe(days.Sum(d => d.Tickets.Values.Count(t => t.TeamId == "network-team")));
        ann.Rows.Select(r => r.Key).ShouldBe(["agent-ann"]);
        ann.Total.Opened.ShouldBe(days.Sum(d => d.Tickets.Values.Count(t => t.AgentId == "agent-ann")));
    }

    [Fact]
    public void Requester_counters_sum_over_days_and_take_the_name_and_unit_of_the_latest_request()
    {
        var monday = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var first = Day(new DateOnly(2026, 3, 2), ("SD-1", new DayTicket("service-desk", "agent-ann", "physics", 60, true, false, 1)));
        first.Requests["SD-1|e1|0"] = Request("SD-1", "e1", "Dean Old Name", "physics", monday, merged: false, insideSla: true);
        first.Requests["SD-1|e1|1"] = Request("SD-1", "e1", "Dean Old Name", "physics", monday.AddHours(1), merged: true, insideSla: true);
        var second = Day(new DateOnly(2026, 3, 3), ("SD-2", new DayTicket("service-desk", "agent-ben", "physics", 60, true, false, 1)),
            ("SD-3", new DayTicket("network-team", "agent-bob", "physics", null, null, false, 0)));
        second.Requests["SD-2|e2|0"] = Request("SD-2", "e2", "Dean New Name", "chemistry", monday.AddDays(1), merged: false, insideSla: false);

        var report = Calculator(ReportScope.Everything).Requesters(Period, [DaySummaryDocument.Of(first), DaySummaryDocument.Of(second)],
            new ReportingOptions { RequesterFlagMinimum = 3, RequesterFlagShare = 0.25 });

        var row = report.Rows.ShouldHaveSingleItem();
        (row.RequesterId, row.Name, row.UnitId, row.Requested, row.Merged, row.InsideSla).ShouldBe(("dean-science", "Dean New Name", "chemistry", 3, 1, 2));
        row.UnitTickets.ShouldBe(0, "chemistry has no tickets in the period; physics has three");
        row.Flagged.ShouldBeTrue("three requests with no unit volume to weigh them against");
    }

    private static ReportCalculator Calculator(ReportScope scope) =>
        new(new TicketFacts(new BusinessCalendarOptions()), Builders.Directory(), scope, new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));

    private static List<DayDocument> RandomDays(Random random) =>
        [.. Enumerable.Range(0, 20).Select(d =>
        {
            var day = DayDocument.For(Period.From.AddDays(d));
            for (var i = 0; i < random.Next(0, 40); i++)
            {
                var team = Staff[random.Next(Staff.Length)];
                var agent = team[1 + random.Next(team.Length - 1)];
                var fate = random.Next(4);
                day.Tickets[$"SD-{d}-{i}"] = new DayTicket(team[0], agent, "physics",
                    fate == 3 ? null : random.Next(60, 300_000),
                    fate switch { 0 => true, 1 => false, _ => null },
                    fate == 1 && random.Next(2) == 0,
                    random.Next(10) == 0 ? 1 : 0);
            }

            return day;
        })];

    private static DayDocument Day(DateOnly day, params (string Number, DayTicket Ticket)[] tickets)
    {
        var document = DayDocument.For(day);
        foreach (var (number, ticket) in tickets)
        {
            document.Tickets[number] = ticket;
        }

        return document;
    }

    private static DayRequest Request(string ticket, string escalationId, string name, string unit, DateTimeOffset at, bool merged, bool insideSla) =>
        new("dean-science", name, unit, ticket, escalationId, "service-desk", at, merged, insideSla, EscalationChannel.Web, "Urgent");

    private static double? NearestRank(List<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
