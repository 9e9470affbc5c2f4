namespace Escalation.Core.Workflow;

public abstract record WorkflowStep
{
    private WorkflowStep()
    {
    }

    /// <summary>Wait for the next signal; when <see cref="Deadline"/> is set, also for the first-response deadline.</summary>
    public sealed record WaitForSignal(DateTimeOffset? Deadline) : WorkflowStep;

    public sealed record Escalate : WorkflowStep;

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
            return new WorkflowStep.Complete();
        }

        var waitingForFirstResponse = !state.FirstResponseReceived && !state.SlaBreached;
        if (waitingForFirstResponse && now >= state.FirstResponseDueAt)
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
            _ => counted,
        };
    }

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

    public static TicketWorkflowState ForNewGeneration(TicketWorkflowState state) =>
        state with { SignalsThisGeneration = 0 };
}
