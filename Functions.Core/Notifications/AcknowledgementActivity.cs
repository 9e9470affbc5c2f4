using System.Globalization;
using Escalation.Core.Conversation;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;

namespace Escalation.Core.Notifications;

/// <summary>Tells a requester who wrote in by e-mail that their ticket exists, with its number (once, however often retried).</summary>
public sealed class AcknowledgementActivity(TicketStore tickets, TicketMailer mailer, ConsoleLinks links)
{
    public async Task SendAsync(string ticketNumber, CancellationToken cancellationToken = default)
    {
        var ticket = await tickets.FindAsync(ticketNumber, cancellationToken)
            ?? throw new InvalidOperationException($"Ticket {ticketNumber} is missing.");
        if (!ticket.AcknowledgeByEmail)
        {
            return;
        }

        await mailer.SendOnceAsync(ticketNumber, ticket.AcknowledgementId, Escalations.EscalationMails.UserRecipientId,
            (current, messageId) => current.Requester.Email is { } email
                ? Compose(current, new MailRecipient(email, current.Requester.DisplayName), links, messageId)
                : null,
            (messageId, at) => new HistoryEntry(ticket.AcknowledgementId, at, HistoryEntryType.Acknowledged, "system",
                messageId is null ? "No acknowledgement sent: no e-mail address." : "Acknowledgement with the ticket number e-mailed to the requester.",
                new Dictionary<string, string>(StringComparer.Ordinal) { ["messageId"] = messageId ?? string.Empty }),
            (current, delivery) => current.AddToMailThread(delivery), cancellationToken);
    }

    private static OutgoingMail Compose(Ticket ticket, MailRecipient to, ConsoleLinks links, string messageId)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"""
            Hello {ticket.Requester.DisplayName},

            We have received your request and opened ticket {ticket.Number}:

                {ticket.Subject}

            We will respond by {ReadableTime.Of(ticket.SlaDueAt)}. To add information, reply to this e-mail and keep
            {ticket.SubjectToken} in the subject. Your request: {links.Ticket(ticket.Number)}

            IT Service Desk
            """);
        return new OutgoingMail([to], [], $"{ticket.SubjectToken} We received your request: {ticket.Subject}", text, messageId);
    }
}
