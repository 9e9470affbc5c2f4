using System.Globalization;
using Escalation.Core.Conversation;
using Escalation.Core.Notifications;
using Escalation.Core.Organization;
using Escalation.Core.Tickets;

namespace Escalation.Core.Reporting;

/// <summary>
/// The optional SLA at-risk warning (Reporting:AtRiskWarnings): the assigned agent and the team lead get one e-mail
/// when a ticket has used 75 % of its first-response window. Sent through <see cref="TicketMailer"/>, so it goes out
/// once per ticket and recipient even when a run is repeated, and is recorded in the ticket's history.
/// </summary>
public sealed class AtRiskWarnings(TicketMailer mailer, ConsoleLinks links)
{
    public async Task WarnAsync(string ticketNumber, PendingTicket ticket, OrgDirectory directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(directory);
        foreach (var recipient in Recipients(ticket, directory))
        {
            await mailer.SendOnceAsync(ticketNumber, TicketFacts.AtRiskDeliveryPrefix + recipient.Id, recipient.Id,
                (stored, messageId) => Mail(stored, recipient, links, directory, messageId),
                (messageId, at) => new HistoryEntry($"{TicketFacts.AtRiskDeliveryPrefix}{recipient.Id}", at, HistoryEntryType.NoticeSent, "system",
                    messageId is null ? $"SLA at-risk warning for {recipient.Name} not sent: no e-mail address" : $"SLA at-risk warning sent to {recipient.Name}"),
                cancellationToken: cancellationToken);
        }
    }

    /// <summary>The assigned agent and the lead of the assigned team, each once.</summary>
    public static IReadOnlyList<PersonRecord> Recipients(PendingTicket ticket, OrgDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(directory);
        return new[] { ticket.AgentId, directory.FindTeam(ticket.TeamId)?.LeadId }
            .Select(directory.FindPerson)
            .OfType<PersonRecord>()
            .DistinctBy(p => p.Id)
            .ToList();
    }

    private static OutgoingMail? Mail(Ticket ticket, PersonRecord recipient, ConsoleLinks links, OrgDirectory directory, string messageId) =>
        string.IsNullOrWhiteSpace(recipient.Email) ? null : new OutgoingMail(
            [new MailRecipient(recipient.Email, recipient.Name)],
            [],
            $"{ticket.SubjectToken} SLA at risk: no first response yet - {ticket.Subject}",
            string.Create(CultureInfo.InvariantCulture, $"""
                Ticket {ticket.Number} has used 75 % of its first-response window and has no response yet.
                It is due by {ReadableTime.Of(ticket.SlaDueAt)}; after that it is escalated automatically to the responsible managers.

                Subject:  {ticket.Subject}
                From:     {ticket.Requester.DisplayName}
                Assigned: {directory.NameOf(ticket.Assignment.TeamId) ?? ticket.Assignment.TeamId}{(ticket.Assignment.AgentId is { } agent ? " / " + (directory.NameOf(agent) ?? agent) : string.Empty)}
                Open it:  {links.Ticket(ticket.Number)}
                """),
            messageId);
}
