using Escalation.Core.Escalations;
using Escalation.Core.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Escalation.Functions.Workflow;

/// <summary>
/// Starts again the orchestration of any open ticket that has none running, and the delivery of any message owed
/// without one (ADR 7, ADR 15): every 15 seconds for the tickets of the last ten minutes (a crashed instance's queued
/// starts), every five minutes for all; and, as the SLA's safety net, escalates what a crashed instance held.
/// </summary>
public sealed partial class OrchestrationSweepFunction(
    OrchestrationSweep sweep, OverdueEscalations overdue, TicketWorkflows workflows, ILogger<OrchestrationSweepFunction> logger)
{
    [Function(nameof(RepairTicketOrchestrations))]
    public async Task RepairTicketOrchestrations(
        [TimerTrigger("0 */5 * * * *")] TimerInfo timer,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        Report(await sweep.RepairAsync(workflows.For(durableClient), cancellationToken));

    [Function(nameof(RepairRecentTicketOrchestrations))]
    public async Task RepairRecentTicketOrchestrations(
        [TimerTrigger("*/15 * * * * *")] TimerInfo timer,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        Report(await sweep.RepairRecentAsync(workflows.For(durableClient), cancellationToken));

    /// <summary>Every 15 seconds, escalates a ticket 20 s past its deadline whose orchestration has not (a crashed instance's).</summary>
    [Function(nameof(EscalateOverdueTickets))]
    public Task EscalateOverdueTickets([TimerTrigger("*/15 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        overdue.EscalateAsync(cancellationToken);

    private void Report(int started)
    {
        if (started > 0)
        {
            Repaired(logger, started);
        }
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Started {Count} missing or failed ticket orchestrations")]
    private static partial void Repaired(ILogger logger, int count);
}
