using Escalation.Core.Storage;
using Microsoft.Extensions.Options;

namespace Escalation.Core.Reporting;

/// <summary>
/// The reports from the read model: one query for the period's day summaries (one per day, a few kilobytes each) and,
/// for the at-risk figures, one point read of the waiting tickets; the drill-downs read the period's day documents.
/// Nothing here reads a ticket document (ADR 10).
/// </summary>
public sealed class CosmosReportReader(
    ReadModelStore readModel,
    DirectoryStore directories,
    TicketFacts facts,
    IOptions<ReportingOptions> options,
    TimeProvider timeProvider) : IReportReader
{
    public async Task<SlaReport> SlaAsync(ReportScope scope, ReportPeriod period, ReportGrouping groupBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var days = readModel.SummariesAsync(period.From, period.To, cancellationToken);
        var pending = readModel.PendingAsync(cancellationToken);
        return (await CalculatorAsync(scope, cancellationToken)).Sla(period, groupBy, await days, await pending);
    }

    public async Task<IReadOnlyList<ReportTicket>> SlaTicketsAsync(
        ReportScope scope, ReportPeriod period, ReportGrouping groupBy, string key, SlaFigure figure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var calculator = await CalculatorAsync(scope, cancellationToken);
        var days = figure is SlaFigure.AtRisk50 or SlaFigure.AtRisk75 ? [] : await readModel.DaysAsync(period.From, period.To, cancellationToken);
        return calculator.SlaTickets(groupBy, key, figure, days, await readModel.PendingAsync(cancellationToken));
    }

    public async Task<IReadOnlyList<AtRiskTicket>> AtRiskAsync(ReportScope scope, CancellationToken cancellationToken) =>
        (await CalculatorAsync(scope, cancellationToken)).AtRisk(await readModel.PendingAsync(cancellationToken));

    public async Task<RequesterReport> RequestersAsync(ReportScope scope, ReportPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var calculator = await CalculatorAsync(scope, cancellationToken);
        return calculator.Requesters(period, await readModel.SummariesAsync(period.From, period.To, cancellationToken), options.Value);
    }

    public async Task<IReadOnlyList<RequestedEscalation>> RequestedByAsync(
        ReportScope scope, ReportPeriod period, string requesterId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var calculator = await CalculatorAsync(scope, cancellationToken);
        return calculator.RequestedBy(requesterId, await readModel.DaysAsync(period.From, period.To, cancellationToken));
    }

    private async Task<ReportCalculator> CalculatorAsync(ReportScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var directory = await directories.GetCurrentAsync(cancellationToken);
        return new ReportCalculator(facts, directory.IsSuccess ? directory.Value
            : throw new InvalidOperationException("The reports need the org directory; load it first (POST /api/directory)."), scope, timeProvider.GetUtcNow());
    }
}
