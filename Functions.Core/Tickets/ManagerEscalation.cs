using System.Text.Json.Serialization;

namespace Escalation.Core.Tickets;

public enum EscalationStatus
{
    Open,
    Closed,
}

/// <summary>How a manager's escalation request reached the service desk.</summary>
public enum EscalationChannel
{
    Web,
    Email,

    /// <summary>A coordinator recorded it on the requester's behalf after a phone call.</summary>
    Phone,
}

/// <summary>The seven steps every manager escalation is worked through, in this order.</summary>
public enum ChecklistStep
{
    ReviewedTicket = 1,
    ContactedUser = 2,
    ToldUserWeKeepInTouch = 3,
    SentStatusToManager = 4,
    RoutedToOwner = 5,
    OwnerFollowedUp = 6,
    FollowUpDocumented = 7,
}

/// <summary>What the escalation still has to send or publish; every item is done exactly once by the coordinator orchestration.</summary>
public enum OutboxKind
{
    /// <summary>The assigned coordinator gets the ticket summary and the action links.</summary>
    CoordinatorAssigned,

    /// <summary>Once per escalation: the ITS managers and area leads/supervisors whose staff are involved.</summary>
    InvolvedStaff,

    /// <summary>The coordinator's manager: the coordinator did not acknowledge in time.</summary>
    AcknowledgementMissed,

    /// <summary>The coordinator: checklist steps are still open.</summary>
    Reminder,

    /// <summary>Step 4: the status text to the escalating managers.</summary>
    StatusToManagers,

    /// <summary>Step 5: the service owner or appropriate managers, CIO in copy.</summary>
    RoutedToOwner,

    /// <summary>The estimated resolution time to the user, CIO in copy.</summary>
    EtaToUser,
    RequestedEvent,
    AcknowledgedEvent,
    ClosedEvent,
}

/// <summary>One person's request (a repeated request is merged into the open escalation as another of these).</summary>
public sealed record EscalationRequest(
    string RequesterId,
    string RequesterName,
    string Justification,
    EscalationChannel Channel,
    DateTimeOffset At,
    string? RecordedBy = null);

/// <summary>One checklist step: done (who, when, note) or waived (who, when, reason), or still open.</summary>
public sealed record ChecklistItem(
    ChecklistStep Step,
    DateTimeOffset? DoneAt = null,
    string? DoneBy = null,
    string? Note = null,
    string? WaivedReason = null)
{
    [JsonIgnore]
    public bool IsSettled => DoneAt is not null;

    [JsonIgnore]
    public bool IsWaived => WaivedReason is not null;
}

/// <summary>The estimated resolution time the coordinator sent the user.</summary>
public sealed record EscalationEta(DateTimeOffset ResolveBy, string Message, string SentBy, DateTimeOffset SentAt);

/// <summary>
/// A mail or event the escalation owes. Written in the same document write as the action that makes it due, and done
/// by the coordinator orchestration (<see cref="DoneAt"/>), so an action is never recorded without its mail.
/// </summary>
public sealed record OutboxItem(string Id, OutboxKind Kind, DateTimeOffset CreatedAt, string? Text = null,
    IReadOnlyDictionary<string, string>? Data = null, DateTimeOffset? DoneAt = null);

/// <summary>
/// A manager escalation of a ticket, stored on the ticket document (so a request, its merge and every coordinator
/// action are one optimistic-concurrency write with the ticket's history). Its id is unique within the ticket (E1, E2).
/// </summary>
public sealed class ManagerEscalation
{
    public required string Id { get; init; }

    public EscalationStatus Status { get; set; } = EscalationStatus.Open;

    public required DateTimeOffset OpenedAt { get; init; }

    public List<EscalationRequest> Requests { get; init; } = [];

    public string? CoordinatorId { get; set; }

    /// <summary>1 for the first coordinator, +1 for every reassignment or take-over; each round has its own deadline.</summary>
    public int Round { get; set; }

    public DateTimeOffset? AssignedAt { get; set; }

    public DateTimeOffset? AcknowledgeBy { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    /// <summary>The last round whose missed deadline was reported to the coordinator's manager (0: none).</summary>
    public int ManagerContactedRound { get; set; }

    public int RemindersSent { get; set; }

    public DateTimeOffset? LastReminderAt { get; set; }

    public List<ChecklistItem> Checklist { get; init; } = [.. Enum.GetValues<ChecklistStep>().Select(step => new ChecklistItem(step))];

    public List<EscalationEta> Etas { get; init; } = [];

    public List<OutboxItem> Outbox { get; init; } = [];

    public DateTimeOffset? ClosedAt { get; set; }

    public string? ClosedBy { get; set; }

    public string? ClosingNote { get; set; }

    [JsonIgnore]
    public bool IsOpen => Status == EscalationStatus.Open;

    [JsonIgnore]
    public IEnumerable<ChecklistStep> OpenSteps => Checklist.Where(c => !c.IsSettled).Select(c => c.Step);

    /// <summary>Every step done or waived, and the user has an ETA: the escalation may close.</summary>
    [JsonIgnore]
    public bool IsComplete => !OpenSteps.Any() && Etas.Count > 0;

    public ChecklistItem Item(ChecklistStep step) => Checklist.Single(c => c.Step == step);

    public void Set(ChecklistItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Checklist[Checklist.FindIndex(c => c.Step == item.Step)] = item;
    }

    /// <summary>Adds an outbox item unless one with the same id is there (a replayed action); the id is the mail's delivery id.</summary>
    public bool Enqueue(OutboxItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (Outbox.Exists(o => o.Id == item.Id))
        {
            return false;
        }

        Outbox.Add(item);
        return true;
    }

    public void MarkDone(string outboxId, DateTimeOffset now)
    {
        var index = Outbox.FindIndex(o => o.Id == outboxId);
        if (index >= 0 && Outbox[index].DoneAt is null)
        {
            Outbox[index] = Outbox[index] with { DoneAt = now };
        }
    }

    /// <summary>Hands the escalation to a coordinator for a new round with its own acknowledgement deadline.</summary>
    public void Assign(string coordinatorId, DateTimeOffset now, DateTimeOffset acknowledgeBy, string ticketNumber)
    {
        CoordinatorId = coordinatorId;
        Round++;
        AssignedAt = now;
        AcknowledgeBy = acknowledgeBy;
        AcknowledgedAt = null;
        Enqueue(new OutboxItem(DeliveryId(ticketNumber, $"assigned.{Round}"), OutboxKind.CoordinatorAssigned, now,
            Data: new Dictionary<string, string>(StringComparer.Ordinal) { ["coordinatorId"] = coordinatorId }));
    }

    /// <summary>Closes the escalation and owes the closed event; the caller documents it in the ticket's history.</summary>
    public void Close(string actorId, string note, DateTimeOffset now, string ticketNumber)
    {
        Status = EscalationStatus.Closed;
        ClosedAt = now;
        ClosedBy = actorId;
        ClosingNote = note;
        Enqueue(new OutboxItem(DeliveryId(ticketNumber, "closed"), OutboxKind.ClosedEvent, now));
    }

    /// <summary>The delivery id of one of this escalation's mails or events, unique within the ticket.</summary>
    public string DeliveryId(string ticketNumber, string suffix) => $"{ticketNumber}.{Id}.{suffix}";
}
