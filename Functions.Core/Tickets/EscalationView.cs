namespace Escalation.Core.Tickets;

/// <summary>
/// A manager escalation as a reader sees it. The requester's side (public) sees that the ticket is escalated and the
/// ETA; staff see the coordinator, deadlines, checklist with who and when, requesters and justifications.
/// </summary>
public sealed record EscalationView(
    string Id,
    EscalationStatus Status,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    EscalationEtaView? Eta,
    string? CoordinatorId = null,
    int? Round = null,
    DateTimeOffset? AcknowledgeBy = null,
    DateTimeOffset? AcknowledgedAt = null,
    IReadOnlyList<EscalationRequest>? Requests = null,
    IReadOnlyList<ChecklistItem>? Checklist = null,
    IReadOnlyList<EscalationEta>? Etas = null,
    string? ClosedBy = null,
    string? ClosingNote = null)
{
    public static EscalationView Of(ManagerEscalation escalation, TicketVisibility visibility)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        var eta = escalation.Etas.Count == 0 ? null : new EscalationEtaView(escalation.Etas[^1].ResolveBy, escalation.Etas[^1].Message);
        var view = new EscalationView(escalation.Id, escalation.Status, escalation.OpenedAt, escalation.ClosedAt, eta);
        return visibility != TicketVisibility.Everything ? view : view with
        {
            CoordinatorId = escalation.CoordinatorId,
            Round = escalation.Round,
            AcknowledgeBy = escalation.AcknowledgeBy,
            AcknowledgedAt = escalation.AcknowledgedAt,
            Requests = escalation.Requests,
            Checklist = escalation.Checklist,
            Etas = escalation.Etas,
            ClosedBy = escalation.ClosedBy,
            ClosingNote = escalation.ClosingNote,
        };
    }
}

/// <summary>The latest estimated resolution time the user was given.</summary>
public sealed record EscalationEtaView(DateTimeOffset ResolveBy, string Message);
