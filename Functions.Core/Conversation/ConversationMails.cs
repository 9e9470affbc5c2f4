using Escalation.Core.Notifications;
using Escalation.Core.Tickets;

namespace Escalation.Core.Conversation;

/// <summary>The texts of the conversation's messages: to the requester by e-mail or chat, and to the agent when the requester wrote.</summary>
public static class ConversationMails
{
    private static string Readable(DateTimeOffset at) => ReadableTime.Of(at);

    /// <summary>
    /// A reply or the resolution, e-mailed to the requester: threaded onto the conversation's last message, with the
    /// ticket token in the subject and replies going to the desk's inbound address, so an answer comes back to the ticket.
    /// </summary>
    public static OutgoingMail ToRequester(Ticket ticket, OutgoingMessage message, string authorName, MailRecipient to, MailRecipient replyTo,
        ConsoleLinks links, TimeSpan reopenWindow, string messageId)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(links);
        var (subject, text) = message.Kind == OutgoingKind.Resolution
            ? ($"{ticket.SubjectToken} Resolved: {ticket.Subject}", $"""
                Hello {ticket.Requester.DisplayName},

                Your request {ticket.Number}, "{ticket.Subject}", was resolved by {authorName}:

                {message.Text}

                If the problem is not solved, reply to this e-mail by {Readable(message.CreatedAt + reopenWindow)} and the
                ticket is reopened.

                Your request: {links.Ticket(ticket.Number)}

                IT Service Desk
                """)
            : ($"{ticket.SubjectToken} Re: {ticket.Subject}", $"""
                Hello {ticket.Requester.DisplayName},

                {authorName} replied to your request {ticket.Number}, "{ticket.Subject}":

                {message.Text}

                To answer, reply to this e-mail and keep {ticket.SubjectToken} in the subject.

                Your request: {links.Ticket(ticket.Number)}

                IT Service Desk
                """);
        return new OutgoingMail([to], [], subject, text, messageId)
        {
            InReplyTo = ticket.MailThread.LastOrDefault(),
            References = References(ticket.MailThread),
            ReplyTo = replyTo,
        };
    }

    /// <summary>The same message as the requester reads it in the chat conversation.</summary>
    public static string ChatText(Ticket ticket, OutgoingMessage message, string authorName, TimeSpan reopenWindow)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(message);
        return message.Kind == OutgoingKind.Resolution
            ? $"Ticket {ticket.Number} was resolved by {authorName}: {message.Text}\nIf it is not solved, reply here by {Readable(message.CreatedAt + reopenWindow)} and it is reopened."
            : $"{authorName} ({ticket.Number}): {message.Text}";
    }

    /// <summary>Tells the agent (or the team lead) that the requester wrote, with the link to answer.</summary>
    public static OutgoingMail RequesterWrote(Ticket ticket, OutgoingMessage message, string senderName, MailRecipient to, ConsoleLinks links,
        string messageId)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(links);
        var text = $"""
            Hello {to.Name},

            {senderName} wrote on ticket {ticket.Number}, "{ticket.Subject}", on {Readable(message.CreatedAt)}:

            {message.Text}

            Answer it here: {links.Ticket(ticket.Number)}

            You are told once until the desk replies; later messages are on the ticket.

            IT Service Desk
            """;
        return new OutgoingMail([to], [], $"{ticket.SubjectToken} {senderName} wrote: {ticket.Subject}", text, messageId);
    }

    /// <summary>New work: to the agent it was assigned to, or to the team (its address or its members and lead).</summary>
    public static OutgoingMail Assigned(Ticket ticket, string? agentName, string teamName, IReadOnlyList<MailRecipient> to, ConsoleLinks links,
        string messageId)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(links);
        var (subject, opening) = agentName is null
            ? ($"{ticket.SubjectToken} New ticket for {teamName}: {ticket.Subject}", $"Ticket {ticket.Number} is waiting for {teamName}; nobody holds it yet.")
            : ($"{ticket.SubjectToken} Assigned to you: {ticket.Subject}", $"Ticket {ticket.Number} of {teamName} is assigned to you, {agentName}.");
        var due = ticket.FirstResponseAt is null ? $"First response due by {Readable(ticket.SlaDueAt)}." : "It has had its first response.";
        var text = $"""
            {opening}

            Subject:   {ticket.Subject}
            Requester: {ticket.Requester.DisplayName}
            Priority:  {ticket.Priority}
            {due}

            Open it: {links.Ticket(ticket.Number)}

            IT Service Desk
            """;
        return new OutgoingMail(to, [], subject, text, messageId);
    }

    /// <summary>The thread for the References header: its first message and the latest ones (mail clients need no more).</summary>
    private static string[] References(List<string> thread) =>
        thread.Count <= 10 ? [.. thread] : [thread[0], .. thread.Skip(thread.Count - 9)];
}
