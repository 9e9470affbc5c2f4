namespace Escalation.Core.Notifications;

public sealed record MailRecipient(string Email, string? Name = null);

/// <summary>
/// An e-mail the system sends. <see cref="MessageId"/> is ours, so replies can be threaded back to the ticket.
/// <see cref="Html"/>, when set, is an HTML alternative of <see cref="Text"/> with the same content. A mail in a
/// conversation names the message it answers (<see cref="InReplyTo"/>) and the thread before it (<see cref="References"/>),
/// and asks replies to go to <see cref="ReplyTo"/> (the desk's inbound address).
/// </summary>
public sealed record OutgoingMail(
    IReadOnlyList<MailRecipient> To,
    IReadOnlyList<MailRecipient> Cc,
    string Subject,
    string Text,
    string MessageId,
    string? Html = null)
{
    public string? InReplyTo { get; init; }

    public IReadOnlyList<string> References { get; init; } = [];

    public MailRecipient? ReplyTo { get; init; }
}

public interface IMailSender
{
    /// <summary>
    /// Hands the mail to the provider. Throws <see cref="MailNotSentException"/> when it surely was not taken (retry),
    /// <see cref="MailRejectedException"/> when it never will be; any other exception leaves it unknown.
    /// </summary>
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default);

    /// <summary>Whether the provider accepted a mail with this Message-ID; null when the provider cannot tell.</summary>
    Task<bool?> WasAcceptedAsync(string messageId, CancellationToken cancellationToken = default);
}
