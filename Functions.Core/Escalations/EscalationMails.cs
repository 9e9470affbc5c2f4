using System.Globalization;
using Escalation.Core.Conversation;
using Escalation.Core.Notifications;
using Escalation.Core.Organization;
using Escalation.Core.Tickets;

namespace Escalation.Core.Escalations;

/// <summary>The e-mails of a manager escalation. Null when nobody of them has an address (recorded as such by the mailer).</summary>
public sealed class EscalationMails(Ticket ticket, ManagerEscalation escalation, OrgDirectory directory, ConsoleLinks links)
{
    /// <summary>
    /// Recipient ids of the requester-side mails: not person ids, so that receiving them does not make the escalating
    /// managers or the user notice recipients who read the whole ticket (TicketAccessPolicy).
    /// </summary>
    public const string RequestersRecipientId = "escalating-managers";
    public const string UserRecipientId = "requester";
    public const string OwnersRecipientId = "routed-owners";

    private string Prefix => $"{ticket.SubjectToken} Escalation {escalation.Id}";

    public OutgoingMail? CoordinatorAssigned(string coordinatorId, string messageId) => To([coordinatorId], [], $"{Prefix} assigned to you - {ticket.Subject}",
        string.Create(CultureInfo.InvariantCulture, $"""
            You are the Escalation Coordinator of manager escalation {escalation.Id} of ticket {ticket.Number}.
            Please acknowledge by {When(escalation.AcknowledgeBy)}.

            {Summary()}

            In the console:
              acknowledge:          {Link("acknowledge")}
              next checklist step:  {Link("step")}
              send the user an ETA: {Link("eta")}
              waive a step:         {Link("waive")}
              reassign:             {Link("reassign")}
              close:                {Link("close")}
            The ticket:             {links.Ticket(ticket.Number)}
            """), messageId);

    public OutgoingMail? InvolvedStaff(EscalationRecipient recipient, string messageId) => To([recipient.PersonId], [],
        $"{Prefix}: manager escalation of your staff's ticket - {ticket.Subject}",
        $"""
            A manager escalation of ticket {ticket.Number} ("{ticket.Subject}") is open.
            Staff:  {Staff()}
            Reason: {Reasons()}

            You receive this notice as {string.Join("; ", recipient.Reasons)}.
            An Escalation Coordinator is working it through the escalation checklist.
            The ticket: {links.Ticket(ticket.Number)}

            {Summary()}
            """, messageId);

    public OutgoingMail? AcknowledgementMissed(string managerId, string? coordinatorId, string messageId) => To([managerId], [],
        $"{Prefix}: not acknowledged in time - {ticket.Subject}",
        string.Create(CultureInfo.InvariantCulture, $"""
            Coordinator {Name(coordinatorId)} has not acknowledged manager escalation {escalation.Id} of ticket {ticket.Number},
            due by {When(escalation.AcknowledgeBy)}. Please follow up, or reassign it to another coordinator:
              {Link("reassign")}

            {Summary()}
            """), messageId);

    public OutgoingMail? Reminder(string coordinatorId, string messageId) => To([coordinatorId], [], $"{Prefix}: open checklist steps - {ticket.Subject}",
        $"""
            Manager escalation {escalation.Id} of ticket {ticket.Number} still has work open:
            {string.Join(Environment.NewLine, escalation.OpenSteps.Select(s => $"  step {(int)s}: {EscalationChanges.Title(s)}"))}
            {(escalation.Etas.Count == 0 ? "  the user has not been sent an estimated resolution time" : string.Empty)}

            Open it in the queue: {Link(null)}
            """, messageId);

    public OutgoingMail? StatusToManagers(string status, string messageId) =>
        To([.. escalation.Requests.Select(r => r.RequesterId).Distinct()], [], $"{Prefix}: status - {ticket.Subject}",
            $"""
            The status of your escalation of ticket {ticket.Number}, from the Escalation Coordinator {Name(escalation.CoordinatorId)}:

            {status}

            The ticket: {links.Ticket(ticket.Number)}
            """, messageId);

    public OutgoingMail? RoutedToOwner(IReadOnlyList<string> managerIds, string rule, string? note, string messageId) =>
        To(managerIds, Cio(), $"{Prefix}: please follow up with the user - {ticket.Subject}",
            $"""
            Manager escalation {escalation.Id} of ticket {ticket.Number} is routed to you as the {rule}.
            Please follow up with the user (or have your designate do so), copying the coordinator {Name(escalation.CoordinatorId)}.
            {(string.IsNullOrWhiteSpace(note) ? string.Empty : $"{Environment.NewLine}From the coordinator: {note}{Environment.NewLine}")}
            The ticket: {links.Ticket(ticket.Number)}

            {Summary()}
            """, messageId);

    public OutgoingMail? EtaToUser(string resolveBy, string message, string messageId)
    {
        var at = DateTimeOffset.TryParse(resolveBy, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
            ? ReadableTime.Of(parsed)
            : resolveBy;
        var user = ticket.Requester.Email is { } email ? new MailRecipient(email, ticket.Requester.DisplayName) : null;
        return user is null ? null : new OutgoingMail([user], Cio(), $"{ticket.SubjectToken} Estimated resolution time - {ticket.Subject}",
            $"""
            Dear {ticket.Requester.DisplayName},

            Your request {ticket.Number} ("{ticket.Subject}") has been escalated. We expect to resolve it by {at}.

            {message}

            We will keep in touch. Reply to this e-mail to add to your request.
            Your request: {links.Ticket(ticket.Number)}
            """, messageId);
    }

    private string Summary()
    {
        var requests = string.Join(Environment.NewLine, escalation.Requests.Select(r =>
            string.Create(CultureInfo.InvariantCulture, $"  {r.RequesterName} ({r.Channel}, {ReadableTime.Of(r.At)}): {r.Justification}")));
        var team = directory.FindTeam(ticket.Assignment.TeamId)?.Name ?? ticket.Assignment.TeamId;
        var assignee = ticket.Assignment.AgentId is null ? team : $"{Name(ticket.Assignment.AgentId)} ({team})";
        return string.Create(CultureInfo.InvariantCulture, $"""
            Ticket:      {ticket.Number} - {ticket.Subject}
            User:        {ticket.Requester.DisplayName}
            Priority:    {ticket.Priority}
            Opened:      {ReadableTime.Of(ticket.CreatedAt)} via {ticket.Channel}
            Assigned to: {assignee}
            Requested by:
            {requests}
            """);
    }

    private static string When(DateTimeOffset? at) => at is { } value ? ReadableTime.Of(value) : "the deadline";

    private string Link(string? action) => links.Escalation(ticket.Number, escalation.Id, action);

    private string Staff() => EscalationRecipients.StaffOf(ticket, directory);

    /// <summary>Who asked for the escalation and why, in their own words.</summary>
    private string Reasons() => string.Join("; ", escalation.Requests.Select(r => $"{r.RequesterName} asks: {r.Justification}"));

    private string Name(string? personId) => directory.FindPerson(personId)?.Name ?? personId ?? "nobody";

    private List<MailRecipient> Cio() => Recipients(directory.Document.CioId is { } cio ? [cio] : []);

    private List<MailRecipient> Recipients(IEnumerable<string> personIds) =>
        [.. personIds.Select(directory.FindPerson).OfType<PersonRecord>().Where(p => !string.IsNullOrWhiteSpace(p.Email))
            .Select(p => new MailRecipient(p.Email!, p.Name))];

    private OutgoingMail? To(IEnumerable<string> personIds, List<MailRecipient> cc, string subject, string text, string messageId)
    {
        var to = Recipients(personIds);
        return to.Count == 0 ? null : new OutgoingMail(to, cc, subject, text, messageId);
    }
}
