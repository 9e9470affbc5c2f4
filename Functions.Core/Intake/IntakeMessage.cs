using Escalation.Core.Tickets;

namespace Escalation.Core.Intake;

/// <summary>
/// A request for help, normalised from any channel. <see cref="DeliveryKey"/> identifies the delivery (channel message
/// id, or the client's idempotency key): the same key never opens a second ticket or adds a second history entry.
/// </summary>
public sealed record IntakeMessage(
    Channel Channel,
    string DeliveryKey,
    RequesterClaim Requester,
    string Subject,
    string Description,
    string? Category = null,
    Priority Priority = Priority.Normal)
{
    /// <summary>Messages with the same thread key (e.g. one chat conversation) belong to one ticket: the first opens it.</summary>
    public string? ThreadKey { get; init; }

    /// <summary>An existing ticket this message answers (a ticket-number token, or a reply to a message we sent).</summary>
    public string? ReplyToTicket { get; init; }

    /// <summary>Reasons for a person to look at the ticket, e.g. a low-confidence voicemail transcript.</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];

    /// <summary>Channel facts kept on the ticket, e.g. the voicemail recording link or the caller's number.</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<AttachmentInfo> Attachments { get; init; } = [];

    /// <summary>Send the requester an acknowledgement e-mail with the ticket number when this opens a ticket.</summary>
    public bool AcknowledgeByEmail { get; init; }

    /// <summary>
    /// Whether the channel proved who sent the message. True for channels that authenticate each message (a signed
    /// webhook, a session); an e-mail without SPF/DKIM for its From domain is false: it is kept, flagged in the
    /// history, and never counts as the first response.
    /// </summary>
    public bool SenderVerified { get; init; } = true;
}

/// <summary>What the channel says about the requester; matched against the directory at intake.</summary>
public sealed record RequesterClaim(string? PersonId, string? DisplayName, string? Email = null, string? Phone = null, string? AccountId = null);

public enum IntakeOutcome
{
    /// <summary>The message opened a new ticket.</summary>
    Created,

    /// <summary>The message was added to an existing ticket's history.</summary>
    Appended,

    /// <summary>A re-delivery of a message already handled; nothing changed.</summary>
    Duplicate,
}

/// <summary>The ticket a message opened or joined.</summary>
public sealed record IntakeReceipt(string TicketNumber, IntakeOutcome Outcome)
{
    public bool Created => Outcome == IntakeOutcome.Created;
}

public static class IntakeLimits
{
    public const int SubjectMaxLength = 200;
    public const int DescriptionMaxLength = 20_000;
    public const int CategoryMaxLength = 100;
    public const int DeliveryKeyMaxLength = 1000;
}
