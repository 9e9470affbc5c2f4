using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Escalation.Core.Workflow;

/// <summary>
/// What the ticket and escalation workflows share about their orchestration instances: whether one is alive, and how
/// a broken one is replaced by a fresh start from the ticket document (ADR 7).
/// </summary>
internal static class DurableInstances
{
    /// <summary>The statuses of an instance that is alive: a start must not replace it.</summary>
    public static readonly OrchestrationRuntimeStatus[] AliveStatuses =
        [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Suspended];

    public static bool IsAlive(OrchestrationMetadata? instance) => instance is not null && AliveStatuses.Contains(instance.RuntimeStatus);

    /// <summary>
    /// Schedules <paramref name="orchestrator"/> under <paramref name="instanceId"/>; an ended or failed
    /// <paramref name="previous"/> instance is purged first. A concurrent start that won the race is kept, not replaced.
    /// </summary>
    public static async Task StartFreshAsync(DurableTaskClient client, string orchestrator, object input, string instanceId,
        OrchestrationMetadata? previous, CancellationToken cancellationToken)
    {
        if (previous is not null)
        {
            await client.PurgeInstanceAsync(instanceId, cancellation: cancellationToken);
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input,
                new StartOrchestrationOptions(instanceId).WithDedupeStatuses(AliveStatuses), cancellationToken);
        }
#pragma warning disable CA1031 // Backends report "already exists" differently; what matters is whether it runs now.
        catch (Exception)
#pragma warning restore CA1031
        {
            if (!IsAlive(await client.GetInstanceAsync(instanceId, cancellationToken)))
            {
                throw;
            }
        }
    }
}
