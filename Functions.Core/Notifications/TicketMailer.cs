using System.Security.Cryptography;
using System.Text;
using Ardalis.Result;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Microsoft.Extensions.Options;

namespace Escalation.Core.Notifications;

/// <summary>
/// Sends an e-mail about a ticket at most once per delivery id, even when the calling activity is retried
/// (docs/decisions/0003), records it in the ticket's history, and remembers its Message-ID so replies thread back.
/// </summary>
public sealed class TicketMailer(
    TicketStore tickets,
    IntakeKeyStore intakeKeys,
    IMailSender mailSender,
    IOptions<MailOptions> mailOptions,
    TimeProvider timeProvider)
{
    /// <summary>How long a claimed delivery is left to the attempt that claimed it before another may send it.</summary>
    internal static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The intake key under which an outgoing Message-ID maps to its ticket. Exact (case included), so only a reply
    /// naming the very id we sent finds it.
    /// </summary>
    public static string MessageIdKey(string messageId)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        return $"MessageId:{messageId.Trim().TrimStart('<').TrimEnd('>')}";
    }

    /// <summary>
    /// Sends the mail that <paramref name="compose"/> builds (null: the recipient has no address; recorded as such)
    /// unless this delivery was sent before, and returns the delivery's state afterwards.
    /// </summary>
    public async Task<NoticeDelivery> SendOnceAsync(
        string ticketNumber,
        string deliveryId,
        string recipientId,
        Func<Ticket, string, OutgoingMail?> compose,
        Func<string?, DateTimeOffset, HistoryEntry> historyEntry,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(compose);
        ArgumentNullException.ThrowIfNull(historyEntry);
        var claim = await UpdateAsync(ticketNumber, ticket =>
            (Step: ticket.ClaimNotice(deliveryId, recipientId, timeProvider.GetUtcNow(), ClaimLease), Ticket: ticket), cancellationToken);
        if (claim.Step == NoticeStep.InFlight)
        {
            throw new InvalidOperationException($"Mail {deliveryId} is being sent by another attempt; retry later.");
        }

        if (claim.Step == NoticeStep.SendEmail)
        {
            var messageId = await MessageIdForAsync(ticketNumber, deliveryId, cancellationToken);
            var mail = Normalised(compose(claim.Ticket, messageId));
            if (mail is not null)
            {
                await intakeKeys.ClaimAsync(MessageIdKey(messageId), ticketNumber, "outgoing", cancellationToken);
                await SendOrReleaseAsync(ticketNumber, deliveryId, mail, cancellationToken);
            }

            var entry = historyEntry(mail is null ? null : messageId, timeProvider.GetUtcNow());
            await UpdateAsync(ticketNumber, ticket =>
            {
                ticket.RecordNoticeEmailed(deliveryId, mail is null ? null : messageId, entry);
                return true;
            }, cancellationToken);
        }

        var ticket = await tickets.FindAsync(ticketNumber, cancellationToken);
        return ticket?.Notices.Find(n => n.NoticeId == deliveryId) ?? throw new InvalidOperationException($"Ticket {ticketNumber} is missing.");
    }

    /// <summary>
    /// The delivery's Message-ID, `&lt;{deliveryId}.{128 random bits}@{domain}&gt;`: unguessable, so knowing a ticket
    /// or notice id is not enough to thread a reply into it. Made once per delivery and kept in the intake key store
    /// (first writer wins), so a retried send carries the same id (docs/decisions/0006).
    /// </summary>
    private async Task<string> MessageIdForAsync(string ticketNumber, string deliveryId, CancellationToken cancellationToken)
    {
        var safe = new StringBuilder(deliveryId.Length);
        foreach (var c in deliveryId)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }

        var candidate = $"<{safe}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}@{mailOptions.Value.MessageIdDomain}>";
        var kept = await intakeKeys.ClaimAsync($"OutgoingMessageId:{ticketNumber}:{deliveryId}", ticketNumber, candidate, cancellationToken);
        return kept.Fingerprint;
    }

    /// <summary>Subjects and names carry ticket data from outside: one line each before they become headers.</summary>
    private static OutgoingMail? Normalised(OutgoingMail? mail) => mail is null ? null : mail with
    {
        Subject = HeaderText.Normalise(mail.Subject),
        To = [.. mail.To.Select(Normalised)],
        Cc = [.. mail.Cc.Select(Normalised)],
    };

    private static MailRecipient Normalised(MailRecipient recipient) =>
        recipient with { Email = HeaderText.Normalise(recipient.Email), Name = HeaderText.NormaliseOptional(recipient.Name, 200) };

    private async Task SendOrReleaseAsync(string ticketNumber, string deliveryId, OutgoingMail mail, CancellationToken cancellationToken)
    {
        try
        {
            await mailSender.SendAsync(mail, cancellationToken);
        }
        catch (Exception)
        {
            // Let the retry send at once instead of waiting for the claim's lease to expire.
            await UpdateAsync(ticketNumber, ticket =>
            {
                ticket.ReleaseNotice(deliveryId);
                return true;
            }, CancellationToken.None);
            throw;
        }
    }

    private async Task<T> UpdateAsync<T>(string ticketNumber, Func<Ticket, T> change, CancellationToken cancellationToken)
    {
        var result = await tickets.UpdateAsync(ticketNumber, ticket => Result.Success(change(ticket)), cancellationToken);
        return result.IsSuccess ? result.Value : throw new InvalidOperationException($"Ticket {ticketNumber} is missing.");
    }
}
