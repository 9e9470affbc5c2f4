using Escalation.Core.Tickets;

namespace Escalation.Core.Escalations;

/// <summary>What the coordinator orchestration knows of its escalation: read from the ticket document by every activity.</summary>
public sealed record EscalationSnapshot(
    string TicketNumber,
    string EscalationId,
    bool Closed,
    string? CoordinatorId,
    int Round,
    DateTimeOffset? AcknowledgeBy,
    DateTimeOffset? AcknowledgedAt,
    int ManagerContactedRound,
    int RemindersSent,
    DateTimeOffset? LastReminderAt,
    bool HasOpenWork,
    IReadOnlyList<string> PendingOutbox,
    TimeSpan ReminderInterval)
{
    public static EscalationSnapshot Of(Ticket ticket, ManagerEscalation escalation, TimeSpan reminderInterval)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(escalation);
        return new EscalationSnapshot(ticket.Number, escalation.Id, !escalation.IsOpen, escalation.CoordinatorId, escalation.Round,
            escalation.AcknowledgeBy, escalation.AcknowledgedAt, escalation.ManagerContactedRound, escalation.RemindersSent,
            escalation.LastReminderAt, !escalation.IsComplete,
            [.. escalation.Outbox.Where(o => o.DoneAt is null).Select(o => o.Id)], reminderInterval);
    }
}

/// <summary>The coordinator orchestration's input and, across ContinueAsNew, its whole memory.</summary>
public sealed record EscalationWorkflowState(string TicketNumber, string EscalationId, EscalationSnapshot? Snapshot = null,
    int SignalsThisGeneration = 0);

public abstract record EscalationStep
{
    private EscalationStep()
    {
    }

    /// <summary>Read the escalation from the ticket document (at start, and after every signal).</summary>
    public sealed record Refresh : EscalationStep;

    /// <summary>Send or publish one outbox item.</summary>
    public sealed record ProcessOutbox(string OutboxId) : EscalationStep;

    /// <summary>Pick a coordinator from the roster (load-aware) and start the acknowledgement wait.</summary>
    public sealed record AssignCoordinator : EscalationStep;

    /// <summary>The coordinator missed the deadline of <see cref="Round"/>: contact their manager, once for that round.</summary>
    public sealed record ReportMissedAcknowledgement(int Round) : EscalationStep;

    /// <summary>Remind the coordinator of the open steps (the <see cref="Number"/>th reminder).</summary>
    public sealed record Remind(int Number) : EscalationStep;

    /// <summary>Wait for the next signal; when <see cref="Deadline"/> is set, also for that time.</summary>
    public sealed record WaitForSignal(DateTimeOffset? Deadline) : EscalationStep;

    public sealed record StartNewGeneration : EscalationStep;

    public sealed record Complete : EscalationStep;
}

/// <summary>The decisions of a coordinator orchestration, as pure functions of what it knows and the orchestration time.</summary>
public static class EscalationPolicy
{
    /// <summary>Signals handled before the orchestration continues as new.</summary>
    public const int SignalsPerGeneration = 25;

    public static EscalationStep Next(EscalationWorkflowState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Snapshot is not { } escalation)
        {
            return new EscalationStep.Refresh();
        }

        // Owed mails and events go out first, also after closing (the closed event, an ETA sent just before).
        if (escalation.PendingOutbox.Count > 0)
        {
            return new EscalationStep.ProcessOutbox(escalation.PendingOutbox[0]);
        }

        if (escalation.Closed)
        {
            return new EscalationStep.Complete();
        }

        if (escalation.CoordinatorId is null)
        {
            return new EscalationStep.AssignCoordinator();
        }

        DateTimeOffset? deadline = null;
        if (escalation.AcknowledgedAt is null)
        {
            var reported = escalation.ManagerContactedRound >= escalation.Round;
            if (!reported && escalation.AcknowledgeBy is { } acknowledgeBy)
            {
                if (now >= acknowledgeBy)
                {
                    return new EscalationStep.ReportMissedAcknowledgement(escalation.Round);
                }

                deadline = acknowledgeBy;
            }
        }
        else if (escalation.HasOpenWork)
        {
            var reminderDue = (escalation.LastReminderAt ?? escalation.AcknowledgedAt.Value) + escalation.ReminderInterval;
            if (now >= reminderDue)
            {
                return new EscalationStep.Remind(escalation.RemindersSent + 1);
            }

            deadline = reminderDue;
        }

        return state.SignalsThisGeneration >= SignalsPerGeneration
            ? new EscalationStep.StartNewGeneration()
            : new EscalationStep.WaitForSignal(deadline);
    }

    public static EscalationWorkflowState After(EscalationWorkflowState state, EscalationSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state with { Snapshot = snapshot };
    }

    /// <summary>A signal says the document changed: count it and read the escalation again.</summary>
    public static EscalationWorkflowState AfterSignal(EscalationWorkflowState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state with { Snapshot = null, SignalsThisGeneration = state.SignalsThisGeneration + 1 };
    }

    /// <summary>The next generation starts by reading the document again.</summary>
    public static EscalationWorkflowState ForNewGeneration(EscalationWorkflowState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state with { Snapshot = null, SignalsThisGeneration = 0 };
    }
}
