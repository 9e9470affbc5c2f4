using Escalation.Core.Tickets;

namespace Escalation.Core.Workflow;

/// <summary>The orchestration's input and, across ContinueAsNew, its whole memory.</summary>
public sealed record TicketWorkflowState(
    string TicketNumber,
    DateTimeOffset FirstResponseDueAt,
    bool FirstResponseReceived = false,
    bool SlaBreached = false,
    bool Resolved = false,
    int SignalsThisGeneration = 0,
    bool AcknowledgementPending = false)
{
    public static TicketWorkflowState For(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return new TicketWorkflowState(
            ticket.Number,
            ticket.SlaDueAt,
            FirstResponseReceived: ticket.FirstResponseAt is not null,
            SlaBreached: ticket.EscalatedAt is not null,
            Resolved: ticket.IsResolved,
            AcknowledgementPending: ticket.AcknowledgeByEmail
                && !ticket.Notices.Exists(n => n.NoticeId == ticket.AcknowledgementId && n.EmailSentAt is not null));
    }
}

/// <summary>What the SLA-breach activity found: the notices to send, or why there is nothing to escalate.</summary>
public sealed record SlaBreachOutcome(bool AlreadyResponded, bool AlreadyResolved, IReadOnlyList<EscalationNotice> Notices);

/// <summary>One escalation notice to one person; <see cref="NoticeId"/> makes every step of sending it idempotent.</summary>
public sealed record EscalationNotice(
    string NoticeId,
    string TicketNumber,
    string RecipientId,
    string RecipientName,
    string? RecipientEmail,
    IReadOnlyList<string> Reasons);
