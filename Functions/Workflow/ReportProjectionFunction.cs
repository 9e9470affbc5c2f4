using Escalation.Core.Reporting;
using Microsoft.Azure.Functions.Worker;

namespace Escalation.Functions.Workflow;

/// <summary>Every ten seconds, applies the tickets' changes to the reporting read model (and sends due SLA at-risk warnings).</summary>
public sealed class ReportProjectionFunction(ReportProjection projection)
{
    [Function(nameof(ProjectReports))]
    public Task ProjectReports([TimerTrigger("*/10 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        projection.CatchUpAsync(cancellationToken);
}
