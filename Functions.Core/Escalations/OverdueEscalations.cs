using Escalation.Core.Organization;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Microsoft.Extensions.Logging;

namespace Escalation.Core.Escalations;

/// <summary>
/// The SLA's safety net (ADR 15): a ticket whose deadline passed more than <see cref="Grace"/> ago without all of its
/// escalation notices out is escalated here, by the breach activity's own code (exactly once per notice, ADR 3).
/// Normally the ticket's orchestration has done it within a second or two; this catches the tickets whose orchestration
/// an instance took with it when it died (Durable gives its messages back only after a minute or more) or whose start
/// it had not made yet. The orchestration, when it comes back, finds the notices sent and sends nothing again.
/// </summary>
public sealed class OverdueEscalations(
    TicketStore tickets,
    DirectoryStore directory,
    EscalationActivities activities,
    TimeProvider timeProvider,
    ILogger<OverdueEscalations> logger)
{
    /// <summary>
    /// How long after the deadline the orchestration is given: more than its worst delay on a healthy instance (a timer
    /// up to the polling interval late, then a busy queue), far less than a crash's.
    /// </summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Deadlines older than this are left to the orchestrations and their retries (a mail outage that outlasts it
    /// should not be retried from here as well every few seconds).
    /// </summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    /// <summary>Escalates every overdue ticket with notices outstanding; returns how many it escalated with all notices out.</summary>
    public async Task<int> EscalateAsync(CancellationToken cancellationToken = default)
    {
        var current = await directory.GetCurrentAsync(cancellationToken);
        if (!current.IsSuccess)
        {
            return 0;
        }

        var now = timeProvider.GetUtcNow();
        var escalated = 0;
        await foreach (var ticket in tickets.UnansweredPastDeadlineAsync(now - Window, now - Grace, cancellationToken))
        {
            if (!HasNoticesOutstanding(ticket, current.Value))
            {
                continue;
            }

            var outcome = await activities.EscalateSlaBreachAsync(ticket.Number, cancellationToken);
            if (outcome.Notices.Count == 0)
            {
                Log.OverdueEscalated(logger, ticket.Number, (now - ticket.SlaDueAt).TotalSeconds);
                escalated++;
            }
        }

        return escalated;
    }

    /// <summary>Whether the breach is not recorded yet, or a notice it owes has not gone out (nor been refused for good).</summary>
    public static bool HasNoticesOutstanding(Ticket ticket, OrgDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return ticket.EscalatedAt is null
            || EscalationRecipients.For(ticket, directory).Any(recipient =>
                ticket.Notices.Find(n => n.NoticeId == EscalationActivities.SlaNoticeId(ticket.Number, recipient.PersonId))
                    is not ({ EmailSentAt: not null } or { RejectedAt: not null }));
    }
}
