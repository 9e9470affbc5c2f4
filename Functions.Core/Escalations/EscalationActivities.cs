using System.Globalization;
using Ardalis.Result;
using Escalation.Core.Conversation;
using Escalation.Core.Notifications;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Microsoft.Extensions.Logging;

namespace Escalation.Core.Escalations;

/// <summary>The work behind the escalation activities. Activities may run more than once; every step here is idempotent.</summary>
public sealed class EscalationActivities(
    TicketStore tickets,
    DirectoryStore directory,
    TicketMailer mailer,
    ITicketEventPublisher eventPublisher,
    ConsoleLinks links,
    TimeProvider timeProvider,
    ILogger<EscalationActivities> logger)
{
    /// <summary>How early the breach activity waits for the deadline; earlier than this is not a timer's rounding.</summary>
    public static readonly TimeSpan MaxEarlyTimer = TimeSpan.FromSeconds(2);

    /// <summary>The id of the SLA breach notice of a ticket to one person (its delivery record, ADR 3).</summary>
    public static string SlaNoticeId(string ticketNumber, string personId) => $"{ticketNumber}.sla.{personId}";

    /// <summary>Marks the ticket as breached and returns one notice per recipient, or why nothing is escalated.</summary>
    public async Task<SlaBreachOutcome> RecordSlaBreachAsync(string ticketNumber, CancellationToken cancellationToken = default)
    {
        // The SLA timer can fire up to a second early (TicketWorkflowPolicy.AfterDeadlineTimer): a breach is never
        // recorded, and no notice sent, before the deadline.
        var early = (await tickets.FindAsync(ticketNumber, cancellationToken))?.SlaDueAt - timeProvider.GetUtcNow();
        if (early > TimeSpan.Zero && early <= MaxEarlyTimer)
        {
            await Task.Delay(early.Value, timeProvider, cancellationToken);
        }

        var now = timeProvider.GetUtcNow();
        var breached = false;
        var update = await tickets.UpdateAsync(ticketNumber, ticket =>
        {
            breached = ticket.RecordSlaBreach(now);
            return Result.Success(ticket);
        }, cancellationToken);
        var ticket = update.IsSuccess ? update.Value : throw new InvalidOperationException($"Ticket {ticketNumber} is missing.");
        if (!breached)
        {
            return new SlaBreachOutcome(ticket.FirstResponseAt is not null, ticket.IsResolved, []);
        }

        Log.SlaBreached(logger, ticketNumber);
        var current = await directory.GetCurrentAsync(cancellationToken);
        var orgDirectory = current.IsSuccess ? current.Value : throw new InvalidOperationException("The org directory is not loaded.");
        var notices = EscalationRecipients.For(ticket, orgDirectory)
            .Select(r => new EscalationNotice(SlaNoticeId(ticket.Number, r.PersonId), ticket.Number, r.PersonId, r.Name, r.Email, r.Reasons,
                EscalationRecipients.StaffOf(ticket, orgDirectory)))
            .ToList();
        return new SlaBreachOutcome(AlreadyResponded: false, AlreadyResolved: false, notices);
    }

    /// <summary>
    /// Records the breach and sends its notices in parallel, in one activity (orchestration version 3): the notices
    /// leave one queue hop and one orchestration episode sooner than as activities of their own. Returns the notices
    /// that did not go out, for the orchestration to send with its retries; a notice that did is never sent twice
    /// (<see cref="SendNoticeAsync"/>), so a retry of this activity is harmless too.
    /// </summary>
    public async Task<SlaBreachOutcome> EscalateSlaBreachAsync(string ticketNumber, CancellationToken cancellationToken = default)
    {
        using var span = EscalationTelemetry.StartTicketActivity("SLA breach", ticketNumber);
        var outcome = await RecordSlaBreachAsync(ticketNumber, cancellationToken);
        var sent = await Task.WhenAll(outcome.Notices.Select(notice => TrySendNoticeAsync(notice, cancellationToken)));
        return outcome with { Notices = [.. outcome.Notices.Where((_, i) => !sent[i])] };
    }

    /// <summary>E-mails the notice, publishes the event and documents it in the ticket, each step at most once.</summary>
    public async Task SendNoticeAsync(EscalationNotice notice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notice);
        using var span = EscalationTelemetry.StartTicketActivity("escalation notice", notice.TicketNumber);
        var reasons = string.Join("; ", notice.Reasons);
        (NoticeDelivery Delivery, DateTimeOffset Deadline)? recordedNow = null;
        var delivery = await mailer.SendOnceAsync(notice.TicketNumber, notice.NoticeId, notice.RecipientId,
            (ticket, messageId) => notice.RecipientEmail is { } email
                ? ComposeMail(notice, ticket, new MailRecipient(email, notice.RecipientName), links, messageId)
                : null,
            (messageId, at) => new HistoryEntry(notice.NoticeId, at, HistoryEntryType.NoticeSent, "system",
                messageId is null
                    ? $"Escalation notice for {notice.RecipientName} ({reasons}) recorded; no e-mail address on file."
                    : $"Escalation notice e-mailed to {notice.RecipientName} ({reasons}).",
                new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["recipientId"] = notice.RecipientId,
                    ["messageId"] = messageId ?? string.Empty,
                }),
            whenRecorded: (ticket, recorded) => recordedNow = (recorded, ticket.SlaDueAt),
            cancellationToken: cancellationToken);
        Report(notice, recordedNow);

        if (delivery.EventPublishedAt is null && eventPublisher.IsEnabled)
        {
            var ticket = await tickets.FindAsync(notice.TicketNumber, cancellationToken)
                ?? throw new InvalidOperationException($"Ticket {notice.TicketNumber} is missing.");
            await eventPublisher.PublishAsync(EventFor(notice, ticket), notice.NoticeId, cancellationToken);
            await tickets.UpdateAsync(notice.TicketNumber, t =>
            {
                t.RecordNoticePublished(notice.NoticeId, timeProvider.GetUtcNow());
                return Result.Success();
            }, cancellationToken);
        }
    }

    /// <summary>Says what this attempt did with the notice: sent it (how late), recorded it without an address, or nothing.</summary>
    private void Report(EscalationNotice notice, (NoticeDelivery Delivery, DateTimeOffset Deadline)? recordedNow)
    {
        switch (recordedNow)
        {
            case null:
                Log.NoticeSentBefore(logger, notice.NoticeId, notice.TicketNumber);
                break;
            case ({ RejectedAt: not null }, _):
                EscalationTelemetry.NoticeFailed(); // the mailer logged the refusal (EventId 1009)
                break;
            case ({ MessageId: null }, _):
                Log.NoticeWithoutAddress(logger, notice.NoticeId, notice.TicketNumber);
                break;
            case ({ EmailSentAt: { } sentAt }, var deadline):
                EscalationTelemetry.NoticeSent(sentAt - deadline);
                Log.NoticeEmailed(logger, notice.NoticeId, notice.TicketNumber, (sentAt - deadline).TotalSeconds);
                break;
        }
    }

    /// <summary>False when the notice did not go out; the orchestration's own notice activity then retries it.</summary>
    private async Task<bool> TrySendNoticeAsync(EscalationNotice notice, CancellationToken cancellationToken)
    {
        try
        {
            await SendNoticeAsync(notice, cancellationToken);
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Log.NoticeLeftToOrchestration(logger, notice.NoticeId, notice.TicketNumber, e.Message);
            return false;
        }
    }

    private static OutgoingMail ComposeMail(EscalationNotice notice, Ticket ticket, MailRecipient to, ConsoleLinks links, string messageId)
    {
        // Notices scheduled before the staff's names were carried fall back to the ids.
        var assignee = notice.Staff
            ?? (ticket.Assignment.AgentId is null ? ticket.Assignment.TeamId : $"{ticket.Assignment.AgentId} ({ticket.Assignment.TeamId})");
        var text = string.Create(CultureInfo.InvariantCulture, $"""
            Ticket {ticket.Number} has had no first response within its SLA window and has been escalated.
            Reason: no first response by {ReadableTime.Of(ticket.SlaDueAt)}.

            Subject:     {ticket.Subject}
            Priority:    {ticket.Priority}
            Opened:      {ReadableTime.Of(ticket.CreatedAt)} via {ticket.Channel}
            Response due:{ReadableTime.Of(ticket.SlaDueAt)}
            Assigned to: {assignee}

            You receive this notice as {string.Join("; ", notice.Reasons)}.
            Please follow up with the team so that the user gets a response:
            {links.Ticket(ticket.Number)}
            """);
        return new OutgoingMail([to], [], $"{ticket.SubjectToken} Escalation: no first response - {ticket.Subject}", text, messageId);
    }

    private static TicketEscalated EventFor(EscalationNotice notice, Ticket ticket) =>
        new(ticket.Number, notice.NoticeId, notice.RecipientId, notice.Reasons, ticket.Assignment.TeamId,
            ticket.Assignment.AgentId, ticket.Priority.ToString(), ticket.EscalatedAt ?? ticket.SlaDueAt);
}
