namespace Escalation.Core.Notifications;

public sealed record MailRecipient(string Email, string? Name = null);

/// <summary>An e-mail the system sends. <see cref="MessageId"/> is ours, so replies can be threaded back to the ticket.</summary>
public sealed record OutgoingMail(
    IReadOnlyList<MailRecipient> To,
    IReadOnlyList<MailRecipient> Cc,
    string Subject,
    string Text,
    string MessageId);

public interface IMailSender
{
    /// <summary>Hands the mail to the provider; throws when it was not accepted, so the caller can retry.</summary>
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default);
}
