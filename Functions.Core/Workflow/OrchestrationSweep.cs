using Escalation.Core.Storage;

namespace Escalation.Core.Workflow;

/// <summary>
/// Finds open tickets whose orchestration is missing, failed or ended (a crash between storing a ticket and starting
/// it, a deployment that broke a replay) and starts them again from the ticket document, so no ticket goes unwatched;
/// and messages a ticket still owes whose delivery is not running (a crash between storing a reply and starting its
/// delivery, or a delivery whose week of retries gave up), so no reply is lost (ADR 13).
/// Two sweeps share the work (ADR 15): <see cref="RepairRecentAsync"/> every few seconds over the tickets of the last
/// minutes, which finds the starts an instance that died had queued in memory (ADR 12); <see cref="RepairAsync"/>
/// every few minutes over every open ticket, which finds replays that broke and deliveries that gave up.
/// </summary>
public sealed class OrchestrationSweep(TicketStore tickets, TimeProvider timeProvider)
{
    /// <summary>The full sweep leaves tickets younger than this to the quick sweep and to the intake storing them right now.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Tickets and messages younger than this are left to the starter of the instance that stored them: it schedules a
    /// start within milliseconds, within seconds after a burst (ADR 12). An older one without its orchestration was lost
    /// with an instance (or its start failed for a minute).
    /// </summary>
    public static readonly TimeSpan RecentGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How far back the quick sweep looks: more than the full sweep's interval (5 minutes) and grace together, so every
    /// ticket is looked at by one of them.
    /// </summary>
    public static readonly TimeSpan RecentWindow = TimeSpan.FromMinutes(10);

    /// <summary>Every open ticket older than <see cref="Grace"/>; returns how many ticket orchestrations it started.</summary>
    public Task<int> RepairAsync(ITicketWorkflow workflow, CancellationToken cancellationToken = default) =>
        RepairAsync(workflow, openedFrom: null, Grace, cancellationToken);

    /// <summary>The tickets opened in the last <see cref="RecentWindow"/>; returns how many ticket orchestrations it started.</summary>
    public Task<int> RepairRecentAsync(ITicketWorkflow workflow, CancellationToken cancellationToken = default) =>
        RepairAsync(workflow, timeProvider.GetUtcNow() - RecentWindow, RecentGrace, cancellationToken);

    private async Task<int> RepairAsync(ITicketWorkflow workflow, DateTimeOffset? openedFrom, TimeSpan grace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var before = timeProvider.GetUtcNow() - grace;
        await foreach (var ticket in tickets.OwingMessagesAsync(cancellationToken))
        {
            var owed = ticket.OwedMessageIds(before, openedFrom);
            if (owed.Count > 0)
            {
                await workflow.DeliverAsync(ticket.Number, owed, cancellationToken);
            }
        }

        var started = 0;
        await foreach (var ticket in tickets.OpenTicketsAsync(before, openedFrom, cancellationToken))
        {
            if (await workflow.EnsureStartedAsync(TicketWorkflowState.For(ticket), cancellationToken))
            {
                started++;
            }
        }

        return started;
    }
}
