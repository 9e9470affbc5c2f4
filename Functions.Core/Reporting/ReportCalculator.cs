using Escalation.Core.Organization;
using Escalation.Core.Tickets;

namespace Escalation.Core.Reporting;

/// <summary>
/// Turns the day summaries of a period (the reports), its day documents (the drill-downs) and the waiting tickets into
/// answers. Plain code over what was read: the local Cosmos-compatible server has no GROUP BY, and grouping a few hundred
/// day summaries here is cheaper than a cross-partition aggregate in Cosmos anyway (ADR 10).
/// </summary>
public sealed class ReportCalculator(TicketFacts facts, OrgDirectory directory, ReportScope scope, DateTimeOffset now)
{
    public const string Unassigned = "(unassigned)";
    public const string NoArea = "(none)";

    public const double AtRiskShare = 0.5;
    public const double WarningShare = 0.75;

    public SlaReport Sla(ReportPeriod period, ReportGrouping groupBy, IReadOnlyList<DaySummaryDocument> days, PendingDocument pending)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(pending);
        var cells = days
            .SelectMany(d => d.Cells.Where(c => scope.Includes(c.TeamId, c.AgentId)).Select(c => (Day: DayDocument.Parse(d.Day), Cell: c)))
            .Select(c => (c.Day, c.Cell, Key: KeyOf(groupBy, c.Cell.TeamId, c.Cell.AgentId)))
            .ToList();
        var atRisk = AtRisk(pending).Select(t => (Ticket: t, Key: KeyOf(groupBy, t.TeamId, t.AgentId))).ToList();
        var cellsByKey = cells.ToLookup(c => c.Key, c => c.Cell, StringComparer.Ordinal);
        var atRiskByKey = atRisk.ToLookup(t => t.Key, t => t.Ticket, StringComparer.Ordinal);
        var rows = cellsByKey.Select(g => g.Key).Concat(atRiskByKey.Select(g => g.Key))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(key => new SlaRow(key, NameOf(groupBy, key), Figures([.. cellsByKey[key]], [.. atRiskByKey[key]])))
            .ToList();
        var trend = cells
            .Where(c => c.Cell.Met + c.Cell.Breached > 0)
            .GroupBy(c => (Week: WeekStart(c.Day), c.Key))
            .OrderBy(g => g.Key.Week).ThenBy(g => g.Key.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var met = g.Sum(c => c.Cell.Met);
                var breached = g.Sum(c => c.Cell.Breached);
                return new SlaTrendPoint(g.Key.Week, g.Key.Key, met, breached, Rate(met, breached));
            })
            .ToList();
        return new SlaReport(period, groupBy, facts.BusinessTime, rows,
            Figures([.. cells.Select(c => c.Cell)], [.. atRisk.Select(t => t.Ticket)]), trend);
    }

    public IReadOnlyList<ReportTicket> SlaTickets(
        ReportGrouping groupBy, string key, SlaFigure figure, IReadOnlyList<DayDocument> days, PendingDocument pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        if (figure is SlaFigure.AtRisk50 or SlaFigure.AtRisk75)
        {
            return AtRisk(pending)
                .Where(t => KeyOf(groupBy, t.TeamId, t.AgentId) == key && (figure == SlaFigure.AtRisk50 || t.Elapsed >= WarningShare))
                .Select(t => new ReportTicket(t.Number, facts.DayOf(t.CreatedAt), t.TeamId, t.AgentId, null))
                .ToList();
        }

        return Visible(days)
            .Where(t => KeyOf(groupBy, t.Ticket.TeamId, t.Ticket.AgentId) == key && Counts(figure, t.Ticket))
            .Select(t => new ReportTicket(t.Number, t.Day, t.Ticket.TeamId, t.Ticket.AgentId, t.Ticket.ResponseSeconds))
            .ToList();
    }

    /// <summary>Open tickets past half of their window and not yet due, the most elapsed first.</summary>
    public IReadOnlyList<AtRiskTicket> AtRisk(PendingDocument pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        return pending.Tickets
            .Where(p => scope.Includes(p.Value.TeamId, p.Value.AgentId))
            .Select(p => new AtRiskTicket(p.Key, p.Value.TeamId, p.Value.AgentId, p.Value.CreatedAt, p.Value.DueAt,
                Math.Round(facts.Elapsed(p.Value, now), 3)))
            .Where(t => t.Elapsed >= AtRiskShare && t.Elapsed < 1)
            .OrderByDescending(t => t.Elapsed).ThenBy(t => t.Number, StringComparer.Ordinal)
            .ToList();
    }

    public RequesterReport Requesters(ReportPeriod period, IReadOnlyList<DaySummaryDocument> days, ReportingOptions options)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(options);
        var unitTickets = days.SelectMany(d => d.UnitTickets)
            .GroupBy(u => u.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(u => u.Value), StringComparer.Ordinal);
        var rows = days.SelectMany(d => d.Requesters)
            .Where(r => SeesRequestsOn(r.TeamId))
            .GroupBy(r => r.RequesterId, StringComparer.Ordinal)
            .Select(g =>
            {
                var latest = g.MaxBy(r => r.LatestAt)!;
                var requested = g.Sum(r => r.Requested);
                var volume = latest.UnitId is null ? 0 : unitTickets.GetValueOrDefault(latest.UnitId);
                double? share = volume == 0 ? null : Math.Round((double)requested / volume, 4);
                var flagged = requested >= options.RequesterFlagMinimum && (share is null || share >= options.RequesterFlagShare);
                return new RequesterRow(g.Key, latest.Name, latest.UnitId, directory.Document.Units.Find(u => u.Id == latest.UnitId)?.Name,
                    requested, g.Sum(r => r.Merged), g.Sum(r => r.InsideSla), volume, share, flagged);
            })
            .OrderByDescending(r => r.Flagged).ThenByDescending(r => r.Requested).ThenBy(r => r.RequesterId, StringComparer.Ordinal)
            .ToList();
        return new RequesterReport(period, options.RequesterFlagShare, options.RequesterFlagMinimum, rows);
    }

    public IReadOnlyList<RequestedEscalation> RequestedBy(string requesterId, IReadOnlyList<DayDocument> days) =>
        VisibleRequests(days)
            .Where(r => r.RequesterId == requesterId)
            .OrderBy(r => r.At)
            .Select(r => new RequestedEscalation(r.Ticket, r.EscalationId, r.At, r.Merged, r.InsideSla, r.Channel, r.Justification))
            .ToList();

    /// <summary>The group a ticket falls in: its team, agent, the team's IT area or its division.</summary>
    public string KeyOf(ReportGrouping groupBy, string teamId, string? agentId) => groupBy switch
    {
        ReportGrouping.Team => teamId,
        ReportGrouping.Agent => agentId ?? Unassigned,
        ReportGrouping.Area => directory.FindTeam(teamId)?.AreaId ?? NoArea,
        ReportGrouping.Division => directory.FindTeam(teamId)?.DivisionId ?? NoArea,
        _ => throw new ArgumentOutOfRangeException(nameof(groupBy)),
    };

    private string NameOf(ReportGrouping groupBy, string key) => groupBy switch
    {
        ReportGrouping.Team => directory.FindTeam(key)?.Name,
        ReportGrouping.Agent => directory.FindPerson(key)?.Name,
        ReportGrouping.Area => directory.FindArea(key)?.Name,
        ReportGrouping.Division => directory.FindDivision(key)?.Name,
        _ => null,
    } ?? key;

    private static SlaFigures Figures(List<SummaryCell> cells, List<AtRiskTicket> atRisk)
    {
        var met = cells.Sum(c => c.Met);
        var breached = cells.Sum(c => c.Breached);
        var responses = cells.SelectMany(c => c.ResponseSeconds).ToList();
        responses.Sort();
        return new SlaFigures(
            cells.Sum(c => c.Opened),
            met,
            breached,
            Rate(met, breached),
            Percentile(responses, 0.5),
            Percentile(responses, 0.9),
            cells.Sum(c => c.AutoEscalated),
            cells.Sum(c => c.ManagerEscalations),
            atRisk.Count,
            atRisk.Count(t => t.Elapsed >= WarningShare));
    }

    private static bool Counts(SlaFigure figure, DayTicket ticket) => figure switch
    {
        SlaFigure.Opened => true,
        SlaFigure.RespondedInTime => ticket.Met == true,
        SlaFigure.Breached => ticket.Met == false,
        SlaFigure.AutomaticEscalations => ticket.AutoEscalated,
        SlaFigure.ManagerEscalations => ticket.ManagerEscalations > 0,
        _ => false,
    };

    private IEnumerable<(string Number, DateOnly Day, DayTicket Ticket)> Visible(IEnumerable<DayDocument> days) =>
        days.SelectMany(d => d.Tickets
            .Where(t => scope.Includes(t.Value.TeamId, t.Value.AgentId))
            .Select(t => (t.Key, DayDocument.Parse(d.Day), t.Value)));

    private IEnumerable<DayRequest> VisibleRequests(IEnumerable<DayDocument> days) =>
        days.SelectMany(d => d.Requests.Values).Where(r => SeesRequestsOn(r.TeamId));

    private bool SeesRequestsOn(string teamId) => scope.SeesRequesters && scope.Includes(teamId, null);

    private static double? Rate(int met, int breached) => met + breached == 0 ? null : Math.Round((double)met / (met + breached), 4);

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double? Percentile(List<long> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}
