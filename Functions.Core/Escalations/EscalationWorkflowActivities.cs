using Ardalis.Result;
using Escalation.Core.Conversation;
using Escalation.Core.Notifications;
using Escalation.Core.Organization;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Core.Escalations;

/// <summary>
/// The work behind the coordinator orchestration's activities. Each may run more than once: changes are recorded on
/// the ticket document only when not recorded yet, mails go through the exactly-once mailer with their own delivery
/// id, events carry a message id the broker de-duplicates on; each returns the escalation as it is afterwards.
/// </summary>
public sealed class EscalationWorkflowActivities(
    TicketStore tickets,
    DirectoryStore directory,
    TicketMailer mailer,
    ITicketEventPublisher eventPublisher,
    AcknowledgementDeadline deadline,
    ConsoleLinks links,
    IOptions<EscalationOptions> options,
    TimeProvider timeProvider,
    ILogger<EscalationWorkflowActivities> logger)
{
    public async Task<EscalationSnapshot> LoadAsync(EscalationWork work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var (ticket, escalation) = await FindAsync(work, cancellationToken);
        return EscalationSnapshot.Of(ticket, escalation, options.Value.ReminderInterval);
    }

    /// <summary>Assigns the roster coordinator with the fewest open escalations (ties by person id), unless one is assigned.</summary>
    public async Task<EscalationSnapshot> AssignCoordinatorAsync(EscalationWork work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var (_, current) = await FindAsync(work, cancellationToken);
        if (current.CoordinatorId is not null || !current.IsOpen)
        {
            return await LoadAsync(work, cancellationToken);
        }

        var orgDirectory = await DirectoryAsync(cancellationToken);
        var loads = await tickets.OpenEscalationLoadsAsync(cancellationToken);
        var coordinatorId = CoordinatorAssignment.Choose(orgDirectory.Document.Coordinators, loads)
            ?? throw new InvalidOperationException("The org directory has no Escalation Coordinators on its roster.");
        var now = timeProvider.GetUtcNow();
        var assigned = false;
        var snapshot = await UpdateAsync(work, (ticket, escalation) =>
            assigned = EscalationChanges.AssignFirst(ticket, escalation, coordinatorId, now, deadline.From(now), orgDirectory.NameOf), cancellationToken);
        if (assigned)
        {
            Log.CoordinatorAssigned(logger, work.TicketNumber, work.EscalationId, coordinatorId);
        }

        return snapshot;
    }

    /// <summary>Owes the coordinator's manager the missed-deadline e-mail of round <see cref="EscalationWork.Number"/>, once.</summary>
    public async Task<EscalationSnapshot> RecordMissedAcknowledgementAsync(EscalationWork work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var orgDirectory = await DirectoryAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        return await UpdateAsync(work, (ticket, escalation) =>
            EscalationChanges.RecordMissedAcknowledgement(ticket, escalation, work.Number, ManagerOf(orgDirectory, escalation.CoordinatorId), now,
                orgDirectory.NameOf),
            cancellationToken);
    }

    public async Task<EscalationSnapshot> RecordReminderAsync(EscalationWork work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var now = timeProvider.GetUtcNow();
        return await UpdateAsync(work, (ticket, escalation) => EscalationChanges.RecordReminder(ticket, escalation, work.Number, now), cancellationToken);
    }

    /// <summary>Sends or publishes one outbox item (at most once), then marks it done.</summary>
    public async Task<EscalationSnapshot> ProcessOutboxAsync(EscalationWork work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var (ticket, escalation) = await FindAsync(work, cancellationToken);
        var item = escalation.Outbox.Find(o => o.Id == work.OutboxId);
        if (item is not null && item.DoneAt is null)
        {
            var orgDirectory = await DirectoryAsync(cancellationToken);
            await ProcessAsync(ticket, escalation, item, orgDirectory, cancellationToken);
            await UpdateAsync(work, (_, e) =>
            {
                e.MarkDone(item.Id, timeProvider.GetUtcNow());
                return true;
            }, cancellationToken);
            Log.OutboxItemDone(logger, item.Id, ticket.Number);
        }

        return await LoadAsync(work, cancellationToken);
    }

    private async Task ProcessAsync(Ticket ticket, ManagerEscalation escalation, OutboxItem item, OrgDirectory orgDirectory,
        CancellationToken cancellationToken)
    {
        var mails = new EscalationMails(ticket, escalation, orgDirectory, links);
        switch (item.Kind)
        {
            case OutboxKind.InvolvedStaff:
                foreach (var recipient in EscalationRouting.InvolvedStaff(ticket, orgDirectory))
                {
                    await SendAsync(ticket, escalation, $"{item.Id}.{recipient.PersonId}", recipient.PersonId,
                        messageId => mails.InvolvedStaff(recipient, messageId), $"Manager escalation notice to {recipient.Name}", cancellationToken);
                }

                break;

            case OutboxKind.CoordinatorAssigned:
                var coordinatorId = item.Data?.GetValueOrDefault("coordinatorId") ?? escalation.CoordinatorId ?? string.Empty;
                await SendAsync(ticket, escalation, item.Id, coordinatorId, messageId => mails.CoordinatorAssigned(coordinatorId, messageId),
                    $"Escalation summary and action links to coordinator {coordinatorId}", cancellationToken);
                break;

            case OutboxKind.AcknowledgementMissed:
                var managerId = item.Data?.GetValueOrDefault("managerId") ?? string.Empty;
                await SendAsync(ticket, escalation, item.Id, managerId,
                    messageId => mails.AcknowledgementMissed(managerId, item.Data?.GetValueOrDefault("coordinatorId"), messageId),
                    $"Missed acknowledgement reported to the coordinator's manager {managerId}", cancellationToken);
                break;

            case OutboxKind.Reminder:
                var remindedId = item.Data?.GetValueOrDefault("coordinatorId") ?? string.Empty;
                await SendAsync(ticket, escalation, item.Id, remindedId, messageId => mails.Reminder(remindedId, messageId),
                    $"Reminder of open checklist steps to coordinator {remindedId}", cancellationToken);
                break;

            case OutboxKind.StatusToManagers:
                await SendAsync(ticket, escalation, item.Id, EscalationMails.RequestersRecipientId,
                    messageId => mails.StatusToManagers(item.Text ?? string.Empty, messageId), "Status e-mailed to the escalating managers", cancellationToken);
                break;

            case OutboxKind.RoutedToOwner:
                var managerIds = (item.Data?.GetValueOrDefault("managerIds") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries);
                await SendAsync(ticket, escalation, item.Id, EscalationMails.OwnersRecipientId,
                    messageId => mails.RoutedToOwner(managerIds, item.Data?.GetValueOrDefault("rule") ?? string.Empty, item.Text, messageId),
                    $"Escalation routed to {string.Join(", ", managerIds)} (CIO in copy)", cancellationToken);
                await PublishAsync(EventOf(EscalationEventKind.Routed, ticket, escalation, item.CreatedAt, managerIds), $"{item.Id}.event", cancellationToken);
                break;

            case OutboxKind.EtaToUser:
                await SendAsync(ticket, escalation, item.Id, EscalationMails.UserRecipientId,
                    messageId => mails.EtaToUser(item.Data?.GetValueOrDefault("resolveBy") ?? string.Empty, item.Text ?? string.Empty, messageId),
                    "Estimated resolution time e-mailed to the user (CIO in copy)", cancellationToken);
                break;

            case OutboxKind.RequestedEvent:
                await PublishAsync(EventOf(EscalationEventKind.Requested, ticket, escalation, item.CreatedAt), item.Id, cancellationToken);
                break;

            case OutboxKind.AcknowledgedEvent:
                await PublishAsync(EventOf(EscalationEventKind.Acknowledged, ticket, escalation, item.CreatedAt), item.Id, cancellationToken);
                break;

            case OutboxKind.ClosedEvent:
                await PublishAsync(EventOf(EscalationEventKind.Closed, ticket, escalation, item.CreatedAt), item.Id, cancellationToken);
                break;
        }
    }

    private Task<NoticeDelivery> SendAsync(Ticket ticket, ManagerEscalation escalation, string deliveryId, string recipientId,
        Func<string, OutgoingMail?> compose, string description, CancellationToken cancellationToken) =>
        mailer.SendOnceAsync(ticket.Number, deliveryId, recipientId, (_, messageId) => compose(messageId),
            (messageId, at) => new HistoryEntry(deliveryId, at, HistoryEntryType.NoticeSent, "system",
                messageId is null ? $"{description}: recorded; no e-mail address on file." : $"{description}.",
                new Dictionary<string, string>(Ticket.EscalationData(escalation.Id), StringComparer.Ordinal)
                {
                    ["recipientId"] = recipientId,
                    ["messageId"] = messageId ?? string.Empty,
                }),
            cancellationToken: cancellationToken);

    private async Task PublishAsync(EscalationEvent escalationEvent, string messageId, CancellationToken cancellationToken)
    {
        if (eventPublisher.IsEnabled)
        {
            await eventPublisher.PublishAsync(escalationEvent, messageId, cancellationToken);
        }
    }

    private static EscalationEvent EventOf(EscalationEventKind kind, Ticket ticket, ManagerEscalation escalation, DateTimeOffset at,
        IReadOnlyList<string>? routedTo = null) =>
        new(kind, ticket.Number, escalation.Id, escalation.CoordinatorId, [.. escalation.Requests.Select(r => r.RequesterId).Distinct()],
            ticket.Assignment.TeamId, at, routedTo);

    /// <summary>The coordinator's manager from the roster, else their line manager.</summary>
    private static string ManagerOf(OrgDirectory orgDirectory, string? coordinatorId) =>
        orgDirectory.Document.Coordinators.Find(c => c.PersonId == coordinatorId)?.ManagerId
        ?? orgDirectory.FindPerson(coordinatorId)?.ManagerId
        ?? throw new InvalidOperationException($"Coordinator {coordinatorId} has no manager in the org directory.");

    private async Task<(Ticket Ticket, ManagerEscalation Escalation)> FindAsync(EscalationWork work, CancellationToken cancellationToken)
    {
        var ticket = await tickets.FindAsync(work.TicketNumber, cancellationToken)
            ?? throw new InvalidOperationException($"Ticket {work.TicketNumber} is missing.");
        var escalation = ticket.FindEscalation(work.EscalationId)
            ?? throw new InvalidOperationException($"Escalation {work.EscalationId} of ticket {work.TicketNumber} is missing.");
        return (ticket, escalation);
    }

    private async Task<EscalationSnapshot> UpdateAsync(EscalationWork work, Func<Ticket, ManagerEscalation, bool> change,
        CancellationToken cancellationToken)
    {
        var interval = options.Value.ReminderInterval;
        var result = await tickets.UpdateAsync<EscalationSnapshot>(work.TicketNumber, ticket =>
        {
            var escalation = ticket.FindEscalation(work.EscalationId);
            if (escalation is null)
            {
                return Result<EscalationSnapshot>.NotFound();
            }

            change(ticket, escalation);
            return EscalationSnapshot.Of(ticket, escalation, interval);
        }, cancellationToken);
        return result.IsSuccess ? result.Value : throw new InvalidOperationException($"Escalation {work.EscalationId} of ticket {work.TicketNumber} is missing.");
    }

    private async Task<OrgDirectory> DirectoryAsync(CancellationToken cancellationToken)
    {
        var current = await directory.GetCurrentAsync(cancellationToken);
        return current.IsSuccess ? current.Value : throw new InvalidOperationException("The org directory is not loaded.");
    }
}
