namespace Escalation.Core.Workflow;

public abstract record WorkflowStep
{
    private WorkflowStep()
    {
    }

    /// <summary>Wait for the next signal; when <see cref="Deadline"/> is set, also for the first-response deadline.</summary>
    public sealed record WaitForSignal(DateTimeOffset? Deadline) : WorkflowStep;

    public sealed record Escalate : WorkflowStep;

    /// <summary>Start the coordinator orchestrations of these manager escalations (idempotent).</summary>
    public sealed record StartEscalations(IReadOnlyList<string> EscalationIds) : WorkflowStep;

    /// <summary>The ticket is resolved: tell these open escalations' coordinator orchestrations to finish.</summary>
    public sealed record EndEscalations(IReadOnlyList<string> EscalationIds) : WorkflowStep;

    /// <summary>Start a fresh generation so the orchestration history stays bounded on long-lived tickets.</summary>
    public sealed record StartNewGeneration : WorkflowStep;

    public sealed record Complete : WorkflowStep;
}

/// <summary>The decisions of a ticket's orchestration, as pure functions of its state and the orchestration time.</summary>
public static class TicketWorkflowPolicy
{
    /// <summary>Signals handled before the orchestration continues as new.</summary>
    public const int SignalsPerGeneration = 25;

    public static WorkflowStep Next(TicketWorkflowState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Resolved)
        {
            return state.OpenEscalationIds.Count > 0
                ? new WorkflowStep.EndEscalations(state.OpenEscalationIds)
                : new WorkflowStep.Complete();
        }

        if (state.EscalationIdsToStart.Count > 0)
        {
            return new WorkflowStep.StartEscalations(state.EscalationIdsToStart);
        }

        var waitingForFirstResponse = !state.FirstResponseReceived && !state.SlaBreached;
        if (waitingForFirstResponse && (state.DeadlineTimerFired || now >= state.FirstResponseDueAt))
        {
            return new WorkflowStep.Escalate();
        }

        if (state.SignalsThisGeneration >= SignalsPerGeneration)
        {
            return new WorkflowStep.StartNewGeneration();
        }

        return new WorkflowStep.WaitForSignal(waitingForFirstResponse ? state.FirstResponseDueAt : null);
    }

    public static TicketWorkflowState Apply(TicketWorkflowState state, TicketSignal signal)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(signal);
        var counted = state with { SignalsThisGeneration = state.SignalsThisGeneration + 1 };
        return signal.Kind switch
        {
            TicketSignalKind.FirstResponse => counted with { FirstResponseReceived = true },
            TicketSignalKind.Resolved => counted with { Resolved = true },
            TicketSignalKind.EscalationRequested when signal.EscalationId is { } id && !state.OpenEscalationIds.Contains(id) =>
                counted with { OpenEscalations = [.. state.OpenEscalationIds, id], EscalationsToStart = [.. state.EscalationIdsToStart, id] },
            TicketSignalKind.EscalationClosed when signal.EscalationId is { } id => counted with
            {
                OpenEscalations = [.. state.OpenEscalationIds.Where(e => e != id)],
                EscalationsToStart = [.. state.EscalationIdsToStart.Where(e => e != id)],
            },
            _ => counted,
        };
    }

    /// <summary>Whether this version of the policy knows the signal's kind; the orchestrator logs the others (never drops them silently).</summary>
    public static bool Understands(TicketSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        return Enum.IsDefined(signal.Kind);
    }

    public static TicketWorkflowState AfterEscalationsStarted(TicketWorkflowState state, IReadOnlyList<string> started)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(started);
        return state with { EscalationsToStart = [.. state.EscalationIdsToStart.Where(id => !started.Contains(id))] };
    }

    public static TicketWorkflowState AfterEscalationsEnded(TicketWorkflowState state) =>
        state with { OpenEscalations = [], EscalationsToStart = [] };

    public static TicketWorkflowState AfterBreach(TicketWorkflowState state, SlaBreachOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(outcome);
        return state with
        {
            SlaBreached = !outcome.AlreadyResponded && !outcome.AlreadyResolved,
            FirstResponseReceived = state.FirstResponseReceived || outcome.AlreadyResponded,
            Resolved = state.Resolved || outcome.AlreadyResolved,
        };
    }

    /// <summary>
    /// Whether the requester's acknowledgement (tickets opened by e-mail) should be under way. It runs beside the SLA
    /// wait, never in front of it, so a mail outage cannot delay an escalation.
    /// </summary>
    public static bool NeedsAcknowledgement(TicketWorkflowState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.AcknowledgementPending && !state.Resolved;
    }

    public static TicketWorkflowState AfterAcknowledgement(TicketWorkflowState state) =>
        state with { AcknowledgementPending = false };

    /// <summary>
    /// Whether the breach activity also sends the notices (version 3, <c>EscalateSlaBreach</c>), so that only those that
    /// did not go out are fanned out as notice activities. Versions 1 and 2 record the breach first and fan out every
    /// notice as an activity of its own (<c>RecordSlaBreach</c>), as their histories were written.
    /// </summary>
    public static bool SendsNoticesWithBreach(TicketWorkflowState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return VersionOf(state) >= 3;
    }

    /// <summary>A new generation starts a new history, so it takes the current orchestrator behaviour.</summary>
    public static TicketWorkflowState ForNewGeneration(TicketWorkflowState state) =>
        state with { SignalsThisGeneration = 0, Version = TicketWorkflowState.CurrentVersion };

    /// <summary>
    /// The SLA timer fired. On Azure Storage a timer can fire up to a second early (queue visibility is in whole
    /// seconds), while the orchestration's clock still reads before the deadline; version 1 then set the timer again, and
    /// the next one fired at once, about ten episodes in a row until the clock passed the deadline. Version 2 takes the
    /// timer's word: the deadline is reached (the breach activity waits out the rest). Version 1 histories keep their
    /// behaviour, so they replay as written.
    /// </summary>
    public static TicketWorkflowState AfterDeadlineTimer(TicketWorkflowState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return VersionOf(state) >= 2 ? state with { DeadlineTimerFired = true } : state;
    }

    /// <summary>The orchestrator behaviour the instance's history was written with; instances from before versioning are 1.</summary>
    private static int VersionOf(TicketWorkflowState state) => state.Version ?? 1;
}
