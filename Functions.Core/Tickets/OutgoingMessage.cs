namespace Escalation.Core.Tickets;

/// <summary>What a message owed by the ticket's conversation is.</summary>
public enum OutgoingKind
{
    /// <summary>A public reply by the desk, to the requester.</summary>
    Reply,

    /// <summary>The resolution text, to the requester, with the way back (a reply within the reopen window).</summary>
    Resolution,

    /// <summary>The requester wrote: the holding agent (or, without one, the team lead) is told once per burst.</summary>
    RequesterWrote,

    /// <summary>The ticket was routed or reassigned: the agent, or the team (its address or its members), is told once.</summary>
    Assigned,
}

/// <summary>How a message reaches its reader.</summary>
public enum DeliveryRoute
{
    Email,

    /// <summary>The chat platform's outbound webhook, into the conversation the ticket came from.</summary>
    Chat,

    /// <summary>Nothing can reach the requester (a voicemail from an unknown number): the desk calls back.</summary>
    CallBack,

    /// <summary>The agent told the requester by phone and recorded it as the reply: nothing to send.</summary>
    Phone,
}

/// <summary>
/// A message the ticket owes someone, written in the same document write as the change that owes it (the outbox of
/// ADR 13) and delivered once by its own small orchestration. <see cref="Text"/> is dropped once it is delivered or has
/// failed for good; the history entry <see cref="EntryId"/> keeps what was said.
/// </summary>
public sealed record OutgoingMessage(
    string Id,
    OutgoingKind Kind,
    string EntryId,
    DateTimeOffset CreatedAt,
    DeliveryRoute Route,
    string? Text = null,
    string? AuthorId = null,
    DateTimeOffset? DeliveredAt = null,
    DeliveryRoute? DeliveredBy = null,
    DateTimeOffset? FailedAt = null,
    string? Problem = null)
{
    /// <summary>Still to be sent: it has a route that sends something and has neither gone out nor failed for good.</summary>
    public bool IsPending => DeliveredAt is null && FailedAt is null && Route is DeliveryRoute.Email or DeliveryRoute.Chat;
}
