namespace Escalation.Core.Reporting;

/// <summary>Reads the reports from the reporting read model (ADR 10); every answer is limited to the caller's scope.</summary>
public interface IReportReader
{
    Task<SlaReport> SlaAsync(ReportScope scope, ReportPeriod period, ReportGrouping groupBy, CancellationToken cancellationToken);

    /// <summary>The tickets behind one figure of one row of <see cref="SlaAsync"/>.</summary>
    Task<IReadOnlyList<ReportTicket>> SlaTicketsAsync(
        ReportScope scope, ReportPeriod period, ReportGrouping groupBy, string key, SlaFigure figure, CancellationToken cancellationToken);

    /// <summary>Open tickets past half of their first-response window, most urgent first.</summary>
    Task<IReadOnlyList<AtRiskTicket>> AtRiskAsync(ReportScope scope, CancellationToken cancellationToken);

    Task<RequesterReport> RequestersAsync(ReportScope scope, ReportPeriod period, CancellationToken cancellationToken);

    /// <summary>The escalations one requester asked for in the period, with their justifications.</summary>
    Task<IReadOnlyList<RequestedEscalation>> RequestedByAsync(
        ReportScope scope, ReportPeriod period, string requesterId, CancellationToken cancellationToken);
}
