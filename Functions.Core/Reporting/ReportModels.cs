using Escalation.Core.Tickets;

namespace Escalation.Core.Reporting;

/// <summary>How the SLA compliance report groups tickets.</summary>
public enum ReportGrouping
{
    Team,
    Agent,
    Area,
    Division,
}

/// <summary>The figures of the SLA compliance report that can be drilled into.</summary>
public enum SlaFigure
{
    Opened,
    RespondedInTime,
    Breached,
    AutomaticEscalations,
    ManagerEscalations,
    AtRisk50,
    AtRisk75,
}

/// <summary>Days from <see cref="From"/> to <see cref="To"/>, both included, in the business calendar's time zone.</summary>
public sealed record ReportPeriod(DateOnly From, DateOnly To);

/// <summary>
/// One group's figures. <see cref="MetRate"/> is responded-in-time over tickets whose clock stopped (null when none);
/// response times are in business seconds when the business calendar is on.
/// </summary>
public sealed record SlaFigures(
    int Opened,
    int RespondedInTime,
    int Breached,
    double? MetRate,
    double? MedianFirstResponseSeconds,
    double? P90FirstResponseSeconds,
    int AutomaticEscalations,
    int ManagerEscalations,
    int AtRisk50,
    int AtRisk75);

public sealed record SlaRow(string Key, string Name, SlaFigures Figures);

/// <summary>One group's met rate in the week starting on <see cref="WeekStart"/> (a Monday).</summary>
public sealed record SlaTrendPoint(DateOnly WeekStart, string Key, int RespondedInTime, int Breached, double? MetRate);

public sealed record SlaReport(
    ReportPeriod Period,
    ReportGrouping GroupBy,
    bool BusinessTime,
    IReadOnlyList<SlaRow> Rows,
    SlaFigures Total,
    IReadOnlyList<SlaTrendPoint> Trend);

/// <summary>A ticket still waiting for its first response, and how much of its window has gone (0.8 = 80 %).</summary>
public sealed record AtRiskTicket(string Number, string TeamId, string? AgentId, DateTimeOffset CreatedAt, DateTimeOffset DueAt, double Elapsed);

/// <summary>A ticket behind a figure of the SLA report.</summary>
public sealed record ReportTicket(string Number, DateOnly Opened, string TeamId, string? AgentId, double? FirstResponseSeconds);

/// <summary>One requester's escalation requests in a period, against their unit's ticket volume.</summary>
public sealed record RequesterRow(
    string RequesterId,
    string Name,
    string? UnitId,
    string? UnitName,
    int Requested,
    int Merged,
    int InsideSla,
    int UnitTickets,
    double? Share,
    bool Flagged);

public sealed record RequesterReport(ReportPeriod Period, double FlagShare, int FlagMinimum, IReadOnlyList<RequesterRow> Rows);

/// <summary>One escalation request as the requester wrote it.</summary>
public sealed record RequestedEscalation(
    string TicketNumber,
    string EscalationId,
    DateTimeOffset At,
    bool Merged,
    bool InsideSla,
    EscalationChannel Channel,
    string Justification);
