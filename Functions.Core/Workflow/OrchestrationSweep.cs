using Escalation.Core.Storage;

namespace Escalation.Core.Workflow;

/// <summary>
/// Finds open tickets whose orchestration is missing, failed or ended (a crash between storing a ticket and starting
/// it, a deployment that broke a replay) and starts them again from the ticket document, so no ticket goes unwatched;
/// and messages a ticket still owes whose delivery is not running (a crash between storing a reply and starting its
/// delivery, or a delivery whose week of retries gave up), so no reply is lost (ADR 13).
/// </summary>
public sealed class OrchestrationSweep(TicketStore tickets, TimeProvider timeProvider)
{
    /// <summary>Tickets younger than this are left to the intake that is storing them right now.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    /// <summary>Returns how many ticket orchestrations it started.</summary>
    public async Task<int> RepairAsync(ITicketWorkflow workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var owedBefore = timeProvider.GetUtcNow() - Grace;
        await foreach (var ticket in tickets.OwingMessagesAsync(cancellationToken))
        {
            var owed = ticket.OwedMessageIds(owedBefore);
            if (owed.Count > 0)
            {
                await workflow.DeliverAsync(ticket.Number, owed, cancellationToken);
            }
        }

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
