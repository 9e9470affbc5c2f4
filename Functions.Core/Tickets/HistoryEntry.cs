namespace Escalation.Core.Tickets;

public enum HistoryEntryType
{
    Created,
    Assigned,
    Reassigned,
    Responded,
    Comment,

    /// <summary>A message that arrived by a channel: an e-mail reply, a chat message.</summary>
    Message,
    SlaBreached,
    NoticeSent,
    Resolved,

    /// <summary>The requester was sent an acknowledgement with the ticket number.</summary>
    Acknowledged,

    /// <summary>The mail provider refused an e-mail for good (e.g. an invalid address); ops are alerted.</summary>
    DeliveryFailed,

    /// <summary>A manager or point person asked for an urgent escalation (a new one, or merged into the open one).</summary>
    EscalationRequested,

    /// <summary>An Escalation Coordinator was assigned, took the escalation over, or it was reassigned.</summary>
    EscalationAssigned,
    EscalationAcknowledged,

    /// <summary>The coordinator missed the acknowledgement deadline; their manager was contacted.</summary>
    EscalationAcknowledgementMissed,
    EscalationStepDone,
    EscalationStepWaived,

    /// <summary>The user was sent an estimated resolution time.</summary>
    EscalationEtaSent,
    EscalationClosed,

    /// <summary>A public reply to the requester by staff who do not hold the ticket (it is not their first response).</summary>
    Replied,

    /// <summary>An internal note: staff only, never sent to the requester.</summary>
    Note,

    /// <summary>A message reached its reader (the requester by e-mail or chat, the agent told of a reply).</summary>
    Delivered,

    /// <summary>The requester answered the resolution within the reopen window.</summary>
    Reopened,
}

/// <summary>
/// One append-only entry of a ticket's history. <see cref="Id"/> is derived from the business event where a retry
/// could deliver it twice (a notice id, an idempotency key), so appending the same event again changes nothing.
/// </summary>
public sealed record HistoryEntry(
    string Id,
    DateTimeOffset At,
    HistoryEntryType Type,
    string Actor,
    string Summary,
    IReadOnlyDictionary<string, string>? Data = null);
