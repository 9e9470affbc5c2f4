namespace Escalation.Core.Tickets;

/// <summary>
/// Who asked for help. <see cref="PersonId"/> is set when the directory knows them; <see cref="AccountId"/> is the
/// sign-in id of someone the directory does not know who opened the ticket signed in, so she can read it without an
/// e-mail address.
/// </summary>
public sealed record Requester(string? PersonId, string DisplayName, string? Email = null, string? Phone = null, string? AccountId = null)
{
    /// <summary>Whether the caller (<paramref name="callerPersonId"/> as the directory knows her, else her sign-in id) is this requester.</summary>
    public bool Is(string callerPersonId, Identity.Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return PersonId is not null
            ? callerPersonId == PersonId
            : (AccountId is not null && caller.Id == AccountId)
                || (caller.Email is not null && string.Equals(caller.Email, Email, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>The team a ticket is assigned to and, optionally, the agent within it.</summary>
public sealed record Assignment(string TeamId, string? AgentId = null);

/// <summary>Delivery state of one escalation notice; recorded on the ticket so retries never send twice.</summary>
public sealed record NoticeDelivery(
    string NoticeId,
    string RecipientId,
    DateTimeOffset? ClaimedAt,
    string? MessageId = null,
    DateTimeOffset? EmailSentAt = null,
    DateTimeOffset? EventPublishedAt = null,
    DateTimeOffset? RejectedAt = null);

/// <summary>What remains to do for an escalation notice.</summary>
public enum NoticeStep
{
    SendEmail,

    /// <summary>
    /// An earlier attempt claimed the e-mail and never finished (it crashed, or timed out after handing it over): it
    /// may have been sent, so ask the provider before sending it again.
    /// </summary>
    SendEmailUnlessAccepted,
    PublishEvent,
    Done,

    /// <summary>Another attempt claimed the e-mail moments ago and may be sending it right now.</summary>
    InFlight,
}

public enum MessageAppend
{
    Appended,

    /// <summary>Appended, and it was the ticket's first response: the SLA clock stopped.</summary>
    FirstResponse,

    /// <summary>This message was already in the history.</summary>
    Duplicate,

    /// <summary>Appended, and it was the requester's answer to the resolution: the ticket is open again.</summary>
    Reopened,
}
