using Escalation.Core.Notifications;
using Escalation.Core.Organization;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Core.Conversation;

/// <summary>
/// Delivers one message the ticket owes (ADR 13): a reply or the resolution to the requester, on the chat conversation
/// the ticket came from or by e-mail (also when the chat platform refuses it for good), or "the requester wrote" to the
/// agent holding the ticket (else the team lead). Every send is exactly once: e-mail through <see cref="TicketMailer"/>
/// (ADR 3), chat by a message id that the platform's adapter de-duplicates, like Service Bus events. Passing failures
/// throw, and the activity is retried; a refusal for good is recorded on the ticket and shown there.
/// </summary>
public sealed class ConversationDelivery(
    TicketStore tickets,
    TicketMailer mailer,
    IChatReplySender chat,
    DirectoryStore directory,
    ConsoleLinks links,
    IOptions<ConversationOptions> options,
    IOptions<MailOptions> mailOptions,
    TimeProvider timeProvider,
    ILogger<ConversationDelivery> logger)
{
    /// <summary>The deliveries to the requester share one recipient id that is no person's, so receiving them grants no access.</summary>
    private const string RequesterRecipientId = Escalations.EscalationMails.UserRecipientId;

    public async Task DeliverAsync(OutgoingRef message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var ticket = await tickets.FindAsync(message.TicketNumber, cancellationToken)
            ?? throw new InvalidOperationException($"Ticket {message.TicketNumber} is missing.");
        if (ticket.FindOutgoing(message.OutgoingId) is not { IsPending: true } item)
        {
            return;
        }

        var people = await directory.GetCurrentAsync(cancellationToken);
        var orgDirectory = people.IsSuccess ? people.Value : null;
        if (item.Kind == OutgoingKind.RequesterWrote)
        {
            await TellHolderAsync(ticket, item, orgDirectory, cancellationToken);
            return;
        }

        if (item.Kind == OutgoingKind.Assigned)
        {
            await TellAssigneesAsync(ticket, item, orgDirectory, cancellationToken);
            return;
        }

        var author = orgDirectory?.FindPerson(item.AuthorId)?.Name ?? "The IT Service Desk";
        string? chatRefusal = null;
        if (item.Route == DeliveryRoute.Chat)
        {
            chatRefusal = await PostInChatAsync(ticket, item, author, cancellationToken);
            if (chatRefusal is null)
            {
                return;
            }
        }

        await EmailRequesterAsync(ticket, item, author, chatRefusal, cancellationToken);
    }

    /// <summary>Null when the chat platform took the message; otherwise why it goes by e-mail instead.</summary>
    private async Task<string?> PostInChatAsync(Ticket ticket, OutgoingMessage item, string author, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        string refusal;
        if (!settings.ChatRepliesEnabled)
        {
            refusal = "no outbound chat webhook is configured";
        }
        else
        {
            var reply = new ChatReply(ticket.Details.GetValueOrDefault("platform") ?? "chat", ticket.Details["conversationId"], item.Id, ticket.Number,
                item.Kind == OutgoingKind.Resolution ? "resolution" : "reply", ConversationMails.ChatText(ticket, item, author, settings.ReopenWindow),
                author, timeProvider.GetUtcNow());
            var result = await chat.SendAsync(reply, cancellationToken);
            if (result.Outcome == ChatReplyOutcome.Delivered)
            {
                await RecordAsync(ticket.Number, item, DeliveryRoute.Chat,
                    $"{What(item)} posted in the chat conversation.", cancellationToken);
                return null;
            }

            refusal = result.Outcome == ChatReplyOutcome.ConversationGone
                ? $"the chat conversation is gone ({result.Problem})"
                : $"the chat platform refused it ({result.Problem})";
        }

        Log.ChatReplyRefused(logger, item.Id, ticket.Number, refusal);
        await UpdateAsync(ticket.Number, t => t.Append(new HistoryEntry($"{item.Id}.chat-refused", timeProvider.GetUtcNow(),
            HistoryEntryType.DeliveryFailed, "system", $"{What(item)} was not posted in the chat: {refusal}.")), cancellationToken);
        return refusal;
    }

    private async Task EmailRequesterAsync(Ticket ticket, OutgoingMessage item, string author, string? chatRefusal, CancellationToken cancellationToken)
    {
        if (ticket.Requester.Email is not { } email)
        {
            var problem = chatRefusal is null ? "The requester has no e-mail address." : $"Not delivered: {chatRefusal}, and the requester has no e-mail address.";
            await RecordAsync(ticket.Number, item, null, $"{What(item)} was not sent. {problem} Call them back.",
                cancellationToken, problem);
            return;
        }

        var settings = mailOptions.Value;
        var replyTo = new MailRecipient(settings.ReplyToAddress ?? settings.FromAddress, settings.FromName);
        var to = new MailRecipient(email, ticket.Requester.DisplayName);
        var sent = $"{What(item)} e-mailed to the requester{(chatRefusal is null ? string.Empty : " instead of the chat")}.";
        var delivery = await mailer.SendOnceAsync(ticket.Number, item.Id, RequesterRecipientId,
            (current, messageId) => ConversationMails.ToRequester(current, item, author, to, replyTo, links, options.Value.ReopenWindow, messageId),
            (messageId, at) => new HistoryEntry($"{item.Id}.delivered", at, HistoryEntryType.Delivered, "system", sent, MessageData(messageId)),
            (current, outcome) =>
            {
                current.AddToMailThread(outcome);
                Complete(current, item, outcome, "The mail provider refused the requester's address.");
            },
            cancellationToken);
        LogOutcome(ticket.Number, item, delivery);
    }

    private async Task TellHolderAsync(Ticket ticket, OutgoingMessage item, OrgDirectory? orgDirectory, CancellationToken cancellationToken)
    {
        var holder = HolderOf(ticket, orgDirectory);
        if (holder?.Email is not { } email)
        {
            var problem = holder is null
                ? "Nobody holds the ticket: no agent is assigned and the team has no lead."
                : $"{holder.Name} has no e-mail address.";
            await RecordAsync(ticket.Number, item, null, $"Nobody was told that the requester wrote. {problem}",
                cancellationToken, problem);
            return;
        }

        var to = new MailRecipient(email, holder.Name);
        var sender = orgDirectory?.FindPerson(item.AuthorId)?.Name
            ?? (item.AuthorId is null || string.Equals(item.AuthorId, ticket.Requester.Email, StringComparison.OrdinalIgnoreCase)
                ? ticket.Requester.DisplayName
                : item.AuthorId);
        var delivery = await mailer.SendOnceAsync(ticket.Number, item.Id, holder.Id,
            (current, messageId) => ConversationMails.RequesterWrote(current, item, sender, to, links, messageId),
            (messageId, at) => new HistoryEntry($"{item.Id}.delivered", at, HistoryEntryType.Delivered, "system",
                $"{holder.Name} was e-mailed that {sender} wrote.", MessageData(messageId)),
            (current, outcome) => Complete(current, item, outcome, $"The mail provider refused {holder.Name}'s address."),
            cancellationToken);
        LogOutcome(ticket.Number, item, delivery);
    }

    /// <summary>
    /// Tells whoever the assignment recorded under the message's entry went to: the agent, else the team's address, else
    /// its members and lead, in one e-mail. An assignment replaced before its notice went out is not announced any more.
    /// </summary>
    private async Task TellAssigneesAsync(Ticket ticket, OutgoingMessage item, OrgDirectory? orgDirectory, CancellationToken cancellationToken)
    {
        var assignment = FirstResponsePolicy.AssignmentOf(ticket.History.Find(h => h.Id == item.EntryId)) ?? ticket.Assignment;
        if (assignment != ticket.Assignment)
        {
            await RecordAsync(ticket.Number, item, null,
                "The assignment notice was not sent: the ticket was reassigned again before it went out.", cancellationToken, "Superseded by a later assignment.");
            return;
        }

        var team = orgDirectory?.FindTeam(assignment.TeamId);
        var agent = orgDirectory?.FindPerson(assignment.AgentId);
        List<MailRecipient> to = agent is not null
            ? [.. new[] { agent }.Where(p => p.Email is not null).Select(p => new MailRecipient(p.Email!, p.Name))]
            : team?.Email is { } teamAddress
                ? [new MailRecipient(teamAddress, team.Name)]
                : [.. (orgDirectory?.Document.People ?? []).Where(p => p.Email is not null && team is not null && orgDirectory!.IsMemberOrLead(p.Id, team.Id))
                    .Select(p => new MailRecipient(p.Email!, p.Name))];
        var whom = agent?.Name ?? team?.Name ?? assignment.TeamId;
        if (to.Count == 0)
        {
            await RecordAsync(ticket.Number, item, null, $"Nobody was told of the assignment to {whom}: no e-mail address.",
                cancellationToken, $"{whom}: no e-mail address.");
            return;
        }

        var delivery = await mailer.SendOnceAsync(ticket.Number, item.Id, agent?.Id ?? $"team:{assignment.TeamId}",
            (current, messageId) => ConversationMails.Assigned(current, agent?.Name, team?.Name ?? assignment.TeamId, to, links, messageId),
            (messageId, at) => new HistoryEntry($"{item.Id}.delivered", at, HistoryEntryType.Delivered, "system", $"{whom} was e-mailed of the assignment.",
                MessageData(messageId)),
            (current, outcome) => Complete(current, item, outcome, $"The mail provider refused the address of {whom}."),
            cancellationToken);
        LogOutcome(ticket.Number, item, delivery);
    }

    /// <summary>The agent holding the ticket, else the lead of its team.</summary>
    private static PersonRecord? HolderOf(Ticket ticket, OrgDirectory? orgDirectory) =>
        orgDirectory is null ? null
        : orgDirectory.FindPerson(ticket.Assignment.AgentId) ?? orgDirectory.FindPerson(orgDirectory.FindTeam(ticket.Assignment.TeamId)?.LeadId);

    private static string What(OutgoingMessage item) => item.Kind switch
    {
        OutgoingKind.Resolution => "The resolution",
        OutgoingKind.RequesterWrote => "The requester's message",
        _ => "The reply",
    };

    private static Dictionary<string, string> MessageData(string? messageId) =>
        new(StringComparer.Ordinal) { ["messageId"] = messageId ?? string.Empty };

    private void Complete(Ticket ticket, OutgoingMessage item, NoticeDelivery outcome, string refused) =>
        ticket.CompleteOutgoing(item.Id, outcome.EmailSentAt ?? outcome.RejectedAt ?? timeProvider.GetUtcNow(),
            outcome.EmailSentAt is null ? null : DeliveryRoute.Email, outcome.RejectedAt is null ? null : refused);

    private void LogOutcome(string ticketNumber, OutgoingMessage item, NoticeDelivery delivery)
    {
        if (delivery.EmailSentAt is not null)
        {
            Log.MessageDelivered(logger, item.Id, ticketNumber, DeliveryRoute.Email);
        }
    }

    /// <summary>Records how the message ended without the mailer: delivered by <paramref name="by"/>, or (null) failed for good with the problem.</summary>
    private async Task RecordAsync(string ticketNumber, OutgoingMessage item, DeliveryRoute? by, string summary,
        CancellationToken cancellationToken, string? problem = null)
    {
        var now = timeProvider.GetUtcNow();
        await UpdateAsync(ticketNumber, ticket =>
        {
            ticket.Append(new HistoryEntry($"{item.Id}.{(by is null ? "failed" : "delivered")}", now,
                by is null ? HistoryEntryType.DeliveryFailed : HistoryEntryType.Delivered, "system", summary));
            ticket.CompleteOutgoing(item.Id, now, by, problem);
        }, cancellationToken);
        if (by is null)
        {
            Log.MessageUndeliverable(logger, item.Id, ticketNumber, problem ?? summary);
        }
        else
        {
            Log.MessageDelivered(logger, item.Id, ticketNumber, by.Value);
        }
    }

    private async Task UpdateAsync(string ticketNumber, Action<Ticket> change, CancellationToken cancellationToken)
    {
        var result = await tickets.UpdateAsync(ticketNumber, ticket =>
        {
            change(ticket);
            return Ardalis.Result.Result.Success();
        }, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"Ticket {ticketNumber} is missing.");
        }
    }
}
