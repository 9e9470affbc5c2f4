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
    bool AcknowledgementPending = false,
    IReadOnlyList<string>? OpenEscalations = null,
    IReadOnlyList<string>? EscalationsToStart = null,
    int? Version = null,
    bool DeadlineTimerFired = false)
{
    /// <summary>
    /// The orchestrator behaviour an instance's history was written with; null is 1. Version 2 treats the SLA timer's
    /// firing as the deadline (<see cref="TicketWorkflowPolicy.AfterDeadlineTimer"/>); version 3 sends the notices in
    /// the breach activity (<see cref="TicketWorkflowPolicy.SendsNoticesWithBreach"/>). Instances keep their version
    /// until their next generation, so their histories replay as they were written (ADR 8).
    /// </summary>
    public const int CurrentVersion = 3;

    /// <summary>The manager escalations of the ticket that are open, each with its own coordinator orchestration.</summary>
    public IReadOnlyList<string> OpenEscalationIds => OpenEscalations ?? [];

    /// <summary>Open escalations whose coordinator orchestration this orchestration has still to start (idempotently).</summary>
    public IReadOnlyList<string> EscalationIdsToStart => EscalationsToStart ?? [];

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
                && !ticket.Notices.Exists(n => n.NoticeId == ticket.AcknowledgementId && n.EmailSentAt is not null),
            // Starting a coordinator orchestration is idempotent, so a repaired ticket orchestration starts them all again.
            OpenEscalations: [.. ticket.Escalations.Where(e => e.IsOpen).Select(e => e.Id)],
            EscalationsToStart: [.. ticket.Escalations.Where(e => e.IsOpen).Select(e => e.Id)],
            Version: CurrentVersion);
    }
}

/// <summary>The input of the activities that start or end a ticket's coordinator orchestrations.</summary>
public sealed record EscalationIds(string TicketNumber, IReadOnlyList<string> Ids);

/// <summary>
/// What the SLA-breach activity found: the notices the orchestration still has to send (all of them from
/// <c>RecordSlaBreach</c>, those that did not go out from <c>EscalateSlaBreach</c>), or why there is nothing to escalate.
/// </summary>
public sealed record SlaBreachOutcome(bool AlreadyResponded, bool AlreadyResolved, IReadOnlyList<EscalationNotice> Notices);

/// <summary>One escalation notice to one person; <see cref="NoticeId"/> makes every step of sending it idempotent.</summary>
public sealed record EscalationNotice(
    string NoticeId,
    string TicketNumber,
    string RecipientId,
    string RecipientName,
    string? RecipientEmail,
    IReadOnlyList<string> Reasons,
    string? Staff = null);
