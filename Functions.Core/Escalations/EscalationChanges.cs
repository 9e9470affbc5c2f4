using System.Globalization;
using Ardalis.Result;
using Escalation.Core.Tickets;

namespace Escalation.Core.Escalations;

/// <summary>
/// The changes a manager escalation goes through, as pure functions of the ticket document: each checks the
/// escalation's rules, records itself in the ticket's history (entry id from the request, so a replay adds nothing)
/// and owes its mails and events through the escalation's outbox, all in the one document write of the caller.
/// </summary>
public static class EscalationChanges
{
    public const int NoteMaxLength = 4_000;

    /// <summary>Opens an escalation, or merges the request into the open one; true when it opened a new one.</summary>
    public static Result<(ManagerEscalation Escalation, bool Created)> Request(Ticket ticket, EscalationRequest request, string entryId,
        string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(request);
        if (ticket.IsResolved)
        {
            return Result.Conflict($"Ticket {ticket.Number} is resolved, so it cannot be escalated. It can be reopened by replying to it.");
        }

        var escalation = ticket.OpenEscalation;
        var created = escalation is null;
        if (escalation is null)
        {
            escalation = new ManagerEscalation { Id = $"E{ticket.Escalations.Count + 1}", OpenedAt = request.At };
            escalation.Enqueue(new OutboxItem(escalation.DeliveryId(ticket.Number, "requested"), OutboxKind.RequestedEvent, request.At));
            escalation.Enqueue(new OutboxItem(escalation.DeliveryId(ticket.Number, "staff"), OutboxKind.InvolvedStaff, request.At));
            ticket.Escalations.Add(escalation);
        }

        var duplicate = escalation.Requests.Exists(r => r.RequesterId == request.RequesterId && r.Justification == request.Justification);
        if (!duplicate)
        {
            escalation.Requests.Add(request);
        }

        var recordedBy = request.RecordedBy is null ? string.Empty : $" (recorded by {request.RecordedBy} after a phone call)";
        var summary = created
            ? $"Manager escalation {escalation.Id} requested by {request.RequesterName} via {request.Channel}{recordedBy}: {request.Justification}"
            : $"Escalation request by {request.RequesterName} via {request.Channel}{recordedBy} merged into open escalation {escalation.Id}: {request.Justification}";
        ticket.Append(new HistoryEntry(entryId, request.At, HistoryEntryType.EscalationRequested, request.RequesterId, summary,
            Ticket.EscalationData(escalation.Id, fingerprint)));
        return (escalation, created);
    }

    /// <summary>The orchestration's assignment of the first coordinator; false when one is assigned already.</summary>
    public static bool AssignFirst(Ticket ticket, ManagerEscalation escalation, string coordinatorId, DateTimeOffset now, DateTimeOffset acknowledgeBy,
        Func<string, string?>? names = null)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(escalation);
        if (escalation.CoordinatorId is not null || !escalation.IsOpen)
        {
            return false;
        }

        escalation.Assign(coordinatorId, now, acknowledgeBy, ticket.Number);
        ticket.Append(new HistoryEntry(escalation.DeliveryId(ticket.Number, "assigned.1"), now, HistoryEntryType.EscalationAssigned, "system",
            string.Create(CultureInfo.InvariantCulture, $"Escalation {escalation.Id} assigned to coordinator {Name(names, coordinatorId)}; acknowledgement due by {ReadableTime.Of(acknowledgeBy)}."),
            Ticket.EscalationData(escalation.Id)));
        return true;
    }

    /// <summary>Hands the escalation to another coordinator, which restarts the acknowledgement wait.</summary>
    public static Result Reassign(Ticket ticket, ManagerEscalation escalation, string actorId, string coordinatorId, string? reason,
        DateTimeOffset now, DateTimeOffset acknowledgeBy, string entryId, string fingerprint, Func<string, string?>? names = null)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(escalation);
        if (OpenProblem(ticket, escalation) is { } problem)
        {
            return problem;
        }

        if (escalation.CoordinatorId == coordinatorId)
        {
            return Result.Conflict($"Escalation {escalation.Id} is already assigned to {coordinatorId}.");
        }

        var previous = escalation.CoordinatorId ?? "nobody";
        escalation.Assign(coordinatorId, now, acknowledgeBy, ticket.Number);
        var because = string.IsNullOrWhiteSpace(reason) ? string.Empty : $": {reason.Trim()}";
        ticket.Append(new HistoryEntry(entryId, now, HistoryEntryType.EscalationAssigned, actorId,
            string.Create(CultureInfo.InvariantCulture,
                $"Escalation {escalation.Id} reassigned from {Name(names, previous)} to {Name(names, coordinatorId)}{because}; acknowledgement due by {ReadableTime.Of(acknowledgeBy)}."),
            Ticket.EscalationData(escalation.Id, fingerprint)));
        return Result.Success();
    }

    /// <summary>
    /// A coordinator other than the assigned one acts on the escalation: they take it over, which also counts as
    /// their acknowledgement (they are working it). Recorded in the history.
    /// </summary>
    public static void TakeOver(Ticket ticket, ManagerEscalation escalation, string coordinatorId, DateTimeOffset now, string entryId)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(escalation);
        var previous = escalation.CoordinatorId ?? "nobody";
        escalation.CoordinatorId = coordinatorId;
        escalation.Round++;
        escalation.AssignedAt = now;
        escalation.AcknowledgeBy = now;
        escalation.AcknowledgedAt = now;
        escalation.Enqueue(new OutboxItem(AcknowledgedEventId(ticket, escalation), OutboxKind.AcknowledgedEvent, now));
        ticket.Append(new HistoryEntry($"{entryId}.takeover", now, HistoryEntryType.EscalationAssigned, coordinatorId,
            $"Escalation {escalation.Id} taken over by {coordinatorId} from {previous}.", Ticket.EscalationData(escalation.Id)));
    }

    public static Result Acknowledge(Ticket ticket, ManagerEscalation escalation, string actorId, DateTimeOffset now, string entryId,
        string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(escalation);
        if (OpenProblem(ticket, escalation) is { } problem)
        {
            return problem;
        }

        if (escalation.AcknowledgedAt is not null)
        {
            return Result.Success(); // acknowledged already in this round
        }

        escalation.AcknowledgedAt = now;
        escalation.Enqueue(new OutboxItem(AcknowledgedEventId(ticket, escalation), OutboxKind.AcknowledgedEvent, now));
        ticket.Append(new HistoryEntry(entryId, now, HistoryEntryType.EscalationAcknowledged, actorId,
            $"Escalation {escalation.Id} acknowledged by coordinator {actorId}.", Ticket.EscalationData(escalation.Id, fingerprint)));
        return Result.Success();
    }

    /// <summary>Records a checklist step. Steps 6 and 7 need the step before them settled; step 4 and 5 owe their e-mails.</summary>
    public static Result CompleteStep(Ticket ticket, ManagerEscalation escalation, ChecklistStep step, string actorId, string? note,
        DateTimeOffset now, string entryId, string fingerprint, EscalationRoute? route = null)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(escalation);
        if ((WorkProblem(ticket, escalation) ?? StepProblem(escalation, step)) is { } problem)
        {
            return problem;
        }

        var text = note?.Trim();
        escalation.Set(new ChecklistItem(step, now, actorId, string.IsNullOrEmpty(text) ? null : text));
        var delivery = escalation.DeliveryId(ticket.Number, $"step{(int)step}");
        if (step == ChecklistStep.SentStatusToManager)
        {
            escalation.Enqueue(new OutboxItem(delivery, OutboxKind.StatusToManagers, now, text));
        }
        else if (step == ChecklistStep.RoutedToOwner)
        {
            ArgumentNullException.ThrowIfNull(route);
            escalation.Enqueue(new OutboxItem(delivery, OutboxKind.RoutedToOwner, now, text, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["managerIds"] = string.Join(',', route.ManagerIds),
                ["rule"] = route.Rule,
            }));
        }

        var noteText = text is null ? string.Empty : $": {text}";
        var routed = route is null ? string.Empty : $" (to {string.Join(", ", route.ManagerIds)}, the {route.Rule}; CIO in copy)";
        ticket.Append(new HistoryEntry(entryId, now, HistoryEntryType.EscalationStepDone, actorId,
            $"Escalation {escalation.Id} step {(int)step} ({Title(step)}) done{routed}{noteText}", StepData(escalation, step, fingerprint)));
        return Result.Success();
    }

    public static Result Waive(Ticket ticket, ManagerEscalation escalation, ChecklistStep step, string actorId, string reason,
        DateTimeOffset now, string entryId, string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(escalation);
        ArgumentNullException.ThrowIfNull(reason);
        if (WorkProblem(ticket, escalation) is { } problem)
        {
            return problem;
        }

        if (escalation.Item(step).IsSettled)
        {
            return Result.Conflict($"Step {(int)step} of escalation {escalation.Id} is already {(escalation.Item(step).IsWaived ? "waived" : "done")}.");
        }

        escalation.Set(new ChecklistItem(step, now, actorId, null, reason.Trim()));
        ticket.Append(new HistoryEntry(entryId, now, HistoryEntryType.EscalationStepWaived, actorId,
            $"Escalation {escalation.Id} step {(int)step} ({Title(step)}) waived: {reason.Trim()}", StepData(escalation, step, fingerprint)));
        return Result.Success();
    }

    /// <summary>Records the estimated resolution time and owes its e-mail to the user (CIO in copy). Allowed at any point of the work.</summary>
    public static Result SendEta(Ticket ticket, ManagerEscalation escalation, string actorId, DateTimeOffset resolveBy, string message,
        DateTimeOffset now, string entryId, string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(escalation);
        ArgumentNullException.ThrowIfNull(message);
        if (WorkProblem(ticket, escalation) is { } problem)
        {
            return problem;
        }

        escalation.Etas.Add(new EscalationEta(resolveBy, message.Trim(), actorId, now));
        escalation.Enqueue(new OutboxItem(escalation.DeliveryId(ticket.Number, $"eta{escalation.Etas.Count}"), OutboxKind.EtaToUser, now,
            message.Trim(), new Dictionary<string, string>(StringComparer.Ordinal) { ["resolveBy"] = resolveBy.ToString("O", CultureInfo.InvariantCulture) }));
        ticket.Append(new HistoryEntry(entryId, now, HistoryEntryType.EscalationEtaSent, actorId,
            string.Create(CultureInfo.InvariantCulture, $"Escalation {escalation.Id}: the user was sent an estimated resolution time of {ReadableTime.Of(resolveBy)} (CIO in copy): {message.Trim()}"),
            Ticket.EscalationData(escalation.Id, fingerprint)));
        return Result.Success();
    }

    /// <summary>Closes the escalation: only when every step is done or waived and the user has an ETA.</summary>
    public static Result Close(Ticket ticket, ManagerEscalation escalation, string actorId, string? note, DateTimeOffset now, string entryId,
        string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(escalation);
        if (WorkProblem(ticket, escalation) is { } problem)
        {
            return problem;
        }

        var open = escalation.OpenSteps.Select(s => ((int)s).ToString(CultureInfo.InvariantCulture)).ToList();
        if (open.Count > 0 || escalation.Etas.Count == 0)
        {
            var missing = new List<string>();
            if (open.Count > 0)
            {
                missing.Add($"steps {string.Join(", ", open)} are neither done nor waived");
            }

            if (escalation.Etas.Count == 0)
            {
                missing.Add("the user has not been sent an estimated resolution time");
            }

            return Result.Conflict($"Escalation {escalation.Id} cannot be closed: {string.Join("; ", missing)}.");
        }

        var text = string.IsNullOrWhiteSpace(note) ? "Closed by the coordinator." : note.Trim();
        escalation.Close(actorId, text, now, ticket.Number);
        ticket.Append(new HistoryEntry(entryId, now, HistoryEntryType.EscalationClosed, actorId, $"Escalation {escalation.Id} closed: {text}",
            Ticket.EscalationData(escalation.Id, fingerprint)));
        return Result.Success();
    }

    /// <summary>Owes the coordinator's manager the e-mail about a missed deadline, once for that round.</summary>
    public static bool RecordMissedAcknowledgement(Ticket ticket, ManagerEscalation escalation, int round, string managerId, DateTimeOffset now,
        Func<string, string?>? names = null)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(escalation);
        if (!escalation.IsOpen || escalation.Round != round || escalation.AcknowledgedAt is not null || escalation.ManagerContactedRound >= round)
        {
            return false;
        }

        escalation.ManagerContactedRound = round;
        var id = escalation.DeliveryId(ticket.Number, $"ack-missed.{round}");
        escalation.Enqueue(new OutboxItem(id, OutboxKind.AcknowledgementMissed, now, Data: new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["coordinatorId"] = escalation.CoordinatorId ?? string.Empty,
            ["managerId"] = managerId,
        }));
        ticket.Append(new HistoryEntry($"{id}.recorded", now, HistoryEntryType.EscalationAcknowledgementMissed, "system",
            string.Create(CultureInfo.InvariantCulture,
                $"Coordinator {Name(names, escalation.CoordinatorId ?? "nobody")} did not acknowledge escalation {escalation.Id} by {(escalation.AcknowledgeBy is { } by ? ReadableTime.Of(by) : "the deadline")}; their manager {Name(names, managerId)} is contacted."),
            Ticket.EscalationData(escalation.Id)));
        return true;
    }

    /// <summary>Owes the coordinator the <paramref name="number"/>th reminder of open steps; false when it is owed already.</summary>
    public static bool RecordReminder(Ticket ticket, ManagerEscalation escalation, int number, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(escalation);
        if (!escalation.IsOpen || escalation.RemindersSent >= number)
        {
            return false;
        }

        escalation.RemindersSent = number;
        escalation.LastReminderAt = now;
        escalation.Enqueue(new OutboxItem(escalation.DeliveryId(ticket.Number, $"reminder.{number}"), OutboxKind.Reminder, now,
            Data: new Dictionary<string, string>(StringComparer.Ordinal) { ["coordinatorId"] = escalation.CoordinatorId ?? string.Empty }));
        return true;
    }

    public static string Title(ChecklistStep step) => step switch
    {
        ChecklistStep.ReviewedTicket => "reviewed the ticket and its history",
        ChecklistStep.ContactedUser => "contacted the user for more information or clarification",
        ChecklistStep.ToldUserWeKeepInTouch => "made sure the user knows we will keep in touch",
        ChecklistStep.SentStatusToManager => "told the escalating manager the status",
        ChecklistStep.RoutedToOwner => "contacted the service owner / appropriate manager, CIO in copy",
        ChecklistStep.OwnerFollowedUp => "made sure that manager or their designate followed up with the user, copying the coordinator",
        ChecklistStep.FollowUpDocumented => "made sure the follow-up is documented in the ticket",
        _ => step.ToString(),
    };

    /// <summary>Steps that need a note: what was learned from the user, and the status text the manager is sent.</summary>
    public static bool NeedsNote(ChecklistStep step) => step is ChecklistStep.ContactedUser or ChecklistStep.SentStatusToManager;

    private static string AcknowledgedEventId(Ticket ticket, ManagerEscalation escalation) =>
        escalation.DeliveryId(ticket.Number, $"acknowledged.{escalation.Round}");

    private static Dictionary<string, string> StepData(ManagerEscalation escalation, ChecklistStep step, string fingerprint)
    {
        var data = Ticket.EscalationData(escalation.Id, fingerprint);
        data["step"] = ((int)step).ToString(CultureInfo.InvariantCulture);
        return data;
    }

    private static Result? OpenProblem(Ticket ticket, ManagerEscalation escalation) =>
        escalation.IsOpen ? null : Result.Conflict($"Escalation {escalation.Id} of ticket {ticket.Number} is closed.");

    /// <summary>Working the checklist needs an open escalation that its coordinator acknowledged.</summary>
    private static Result? WorkProblem(Ticket ticket, ManagerEscalation escalation) =>
        OpenProblem(ticket, escalation)
        ?? (escalation.AcknowledgedAt is null
            ? Result.Conflict($"Escalation {escalation.Id} must be acknowledged by its coordinator before it is worked.")
            : null);

    private static Result? StepProblem(ManagerEscalation escalation, ChecklistStep step)
    {
        if (escalation.Item(step).IsSettled)
        {
            return Result.Conflict($"Step {(int)step} of escalation {escalation.Id} is already {(escalation.Item(step).IsWaived ? "waived" : "done")}.");
        }

        var before = step switch
        {
            ChecklistStep.OwnerFollowedUp => ChecklistStep.RoutedToOwner,
            ChecklistStep.FollowUpDocumented => ChecklistStep.OwnerFollowedUp,
            _ => (ChecklistStep?)null,
        };
        return before is { } required && !escalation.Item(required).IsSettled
            ? Result.Conflict($"Step {(int)step} of escalation {escalation.Id} needs step {(int)required} ({Title(required)}) done or waived first.")
            : null;
    }

    /// <summary>A person's name for a history summary (people read it), or the id when the directory is not at hand.</summary>
    private static string Name(Func<string, string?>? names, string id) => names?.Invoke(id) ?? id;
}
