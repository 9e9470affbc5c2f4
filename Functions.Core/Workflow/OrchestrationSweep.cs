using Escalation.Core.Storage;

namespace Escalation.Core.Workflow;

/// <summary>
/// Finds open tickets whose orchestration is missing, failed or ended (a crash between storing a ticket and starting
/// it, a deployment that broke a replay) and starts them again from the ticket document, so no ticket goes unwatched.
/// </summary>
public sealed class OrchestrationSweep(TicketStore tickets, TimeProvider timeProvider)
{
    /// <summary>Tickets younger than this are left to the intake that is storing them right now.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    /// <summary>Returns how many orchestrations it started.</summary>
    public async Task<int> RepairAsync(ITicketWorkflow workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var started = 0;
        await foreach (var ticket in tickets.OpenTicketsAsync(timeProvider.GetUtcNow() - Grace, cancellationToken))
        {
            if (await workflow.EnsureStartedAsync(TicketWorkflowState.For(ticket), cancellationToken))
            {
                started++;
            }
        }

        return started;
    }
}
