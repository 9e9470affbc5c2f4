using Escalation.Core.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Escalation.Functions.Workflow;

/// <summary>Every five minutes, starts again the orchestration of any open ticket that has none running.</summary>
public sealed partial class OrchestrationSweepFunction(OrchestrationSweep sweep, TicketWorkflows workflows, ILogger<OrchestrationSweepFunction> logger)
{
    [Function(nameof(RepairTicketOrchestrations))]
    public async Task RepairTicketOrchestrations(
        [TimerTrigger("0 */5 * * * *")] TimerInfo timer,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        var started = await sweep.RepairAsync(workflows.For(durableClient), cancellationToken);
        if (started > 0)
        {
            Repaired(logger, started);
        }
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Started {Count} missing or failed ticket orchestrations")]
    private static partial void Repaired(ILogger logger, int count);
}
