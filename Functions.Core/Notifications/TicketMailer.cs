using System.Security.Cryptography;
using System.Text;
using Ardalis.Result;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Microsoft.Extensions.Logging;
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
    TimeProvider timeProvider,
    ILogger<TicketMailer> logger)
{
    /// <summary>
    /// How long a claimed delivery is left to the attempt that claimed it before another may send it: longer than a send
    /// can take (<see cref="SendGridMailSender.Timeout"/>, then the write that records it), short enough that a notice
    /// an instance claimed just before it crashed still leaves within a minute of its deadline (ADR 15).
    /// </summary>
    internal static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(30);

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
    /// unless this delivery was sent before, and returns the delivery's state afterwards. <paramref name="whenRecorded"/>
    /// changes the ticket further in the same write that records the outcome (sent or refused).
    /// </summary>
    public async Task<NoticeDelivery> SendOnceAsync(
        string ticketNumber,
        string deliveryId,
        string recipientId,
        Func<Ticket, string, OutgoingMail?> compose,
        Func<string?, DateTimeOffset, HistoryEntry> historyEntry,
        Action<Ticket, NoticeDelivery>? whenRecorded = null,
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

        if (claim.Step is NoticeStep.SendEmail or NoticeStep.SendEmailUnlessAccepted)
        {
            var messageId = await MessageIdForAsync(ticketNumber, deliveryId, cancellationToken);
            var mail = Normalised(compose(claim.Ticket, messageId));
            var acceptedBefore = mail is not null && claim.Step == NoticeStep.SendEmailUnlessAccepted
                && await mailSender.WasAcceptedAsync(messageId, cancellationToken) == true;
            if (mail is not null && !acceptedBefore)
            {
                await intakeKeys.ClaimAsync(MessageIdKey(messageId), ticketNumber, "outgoing", cancellationToken);
                if (await SendAsync(ticketNumber, deliveryId, mail, cancellationToken) is { } rejection)
                {
                    Log.MailRejected(logger, deliveryId, ticketNumber, rejection);
                    var failure = new HistoryEntry($"{deliveryId}.rejected", timeProvider.GetUtcNow(), HistoryEntryType.DeliveryFailed, "system",
                        $"The e-mail to {string.Join(", ", mail.To.Select(r => r.Email))} was refused by the mail provider and not sent: {rejection}");
                    return await UpdateAsync(ticketNumber, ticket =>
                    {
                        ticket.RecordNoticeRejected(deliveryId, failure);
                        return Recorded(ticket, deliveryId, whenRecorded);
                    }, cancellationToken);
                }
            }

            var entry = historyEntry(mail is null ? null : messageId, timeProvider.GetUtcNow());
            return await UpdateAsync(ticketNumber, ticket =>
            {
                ticket.RecordNoticeEmailed(deliveryId, mail is null ? null : messageId, entry);
                return Recorded(ticket, deliveryId, whenRecorded);
            }, cancellationToken);
        }

        return DeliveryIn(claim.Ticket, deliveryId);
    }

    private static NoticeDelivery Recorded(Ticket ticket, string deliveryId, Action<Ticket, NoticeDelivery>? whenRecorded)
    {
        var delivery = DeliveryIn(ticket, deliveryId);
        whenRecorded?.Invoke(ticket, delivery);
        return delivery;
    }

    /// <summary>The delivery's state in the ticket as this attempt last wrote it (no read needed afterwards).</summary>
    private static NoticeDelivery DeliveryIn(Ticket ticket, string deliveryId) =>
        ticket.Notices.Find(n => n.NoticeId == deliveryId)
        ?? throw new InvalidOperationException($"Delivery {deliveryId} is missing from ticket {ticket.Number}.");

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

    /// <summary>
    /// Sends the mail; returns why the provider refused it for good, or null when it was sent. When the provider
    /// definitely did not take it (it answered with a passing error) the claim is released so a retry sends at once.
    /// Any other failure (a timeout, a dropped connection) may come after the provider accepted the mail, so the claim
    /// is kept: a retry waits for its lease instead of sending a second copy at once (ADR 3).
    /// </summary>
    private async Task<string?> SendAsync(string ticketNumber, string deliveryId, OutgoingMail mail, CancellationToken cancellationToken)
    {
        try
        {
            await mailSender.SendAsync(mail, cancellationToken);
            return null;
        }
        catch (MailRejectedException e)
        {
            return e.Message;
        }
        catch (MailNotSentException)
        {
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
