using Escalation.Core.Workflow;
using Microsoft.DurableTask;

namespace Escalation.Core.Escalations;

/// <summary>The input of every coordinator-orchestration activity: which escalation, and the step's number (round, reminder) or outbox item.</summary>
public sealed record EscalationWork(string TicketNumber, string EscalationId, int Number = 0, string? OutboxId = null);

/// <summary>What a coordinator orchestration publishes as its custom status, so tests and ops can wait on its state.</summary>
public sealed record EscalationProgress(string Phase, string? CoordinatorId, int Round, bool Acknowledged, int ManagerContactedRound,
    int RemindersSent, int PendingOutbox)
{
    public static EscalationProgress Of(EscalationSnapshot? snapshot, EscalationStep step) => new(
        step switch
        {
            EscalationStep.Complete => "completed",
            _ when snapshot is null => "reading",
            _ when snapshot.Closed => "closing",
            _ when snapshot.CoordinatorId is null => "assigning",
            _ when snapshot.AcknowledgedAt is null => "awaiting-acknowledgement",
            _ => "working",
        },
        snapshot?.CoordinatorId, snapshot?.Round ?? 0, snapshot?.AcknowledgedAt is not null, snapshot?.ManagerContactedRound ?? 0,
        snapshot?.RemindersSent ?? 0, snapshot?.PendingOutbox.Count ?? 0);
}

/// <summary>
/// One long-lived orchestration per manager escalation (instance id from <see cref="EscalationWorkflow.InstanceId"/>),
/// started by the ticket's orchestration. It assigns a coordinator, waits for the acknowledgement against its deadline
/// (contacting the coordinator's manager once per missed deadline), sends what the escalation owes, reminds the
/// coordinator of open steps and ends when the escalation is closed. Decisions come from <see cref="EscalationPolicy"/>.
/// </summary>
public sealed class EscalationOrchestrator : TaskOrchestrator<EscalationWorkflowState, string>
{
    public const string Name = "EscalationOrchestrator";
    public const string LoadActivity = "LoadEscalation";
    public const string AssignCoordinatorActivity = "AssignEscalationCoordinator";
    public const string MissedAcknowledgementActivity = "RecordMissedEscalationAcknowledgement";
    public const string ReminderActivity = "RecordEscalationReminder";
    public const string OutboxActivity = "ProcessEscalationOutbox";

    private static readonly TaskOptions ActivityRetry = TaskOptions.FromRetryPolicy(TicketOrchestrator.ActivityRetryPolicy);

    public override async Task<string> RunAsync(TaskOrchestrationContext context, EscalationWorkflowState input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var state = input;
        Task<EscalationSignal>? nextSignal = null;
        while (true)
        {
            var step = EscalationPolicy.Next(state, context.CurrentUtcDateTime);
            context.SetCustomStatus(EscalationProgress.Of(state.Snapshot, step));
            var work = new EscalationWork(state.TicketNumber, state.EscalationId);
            switch (step)
            {
                case EscalationStep.Complete:
                    return $"{state.TicketNumber} {state.EscalationId} closed";

                case EscalationStep.StartNewGeneration:
                    context.ContinueAsNew(EscalationPolicy.ForNewGeneration(state), preserveUnprocessedEvents: true);
                    return $"{state.TicketNumber} {state.EscalationId} continued as new";

                case EscalationStep.Refresh:
                    state = await RunAsync(context, state, LoadActivity, work);
                    break;

                case EscalationStep.AssignCoordinator:
                    state = await RunAsync(context, state, AssignCoordinatorActivity, work);
                    break;

                case EscalationStep.ProcessOutbox outbox:
                    state = await RunAsync(context, state, OutboxActivity, work with { OutboxId = outbox.OutboxId });
                    break;

                case EscalationStep.ReportMissedAcknowledgement missed:
                    state = await RunAsync(context, state, MissedAcknowledgementActivity, work with { Number = missed.Round });
                    break;

                case EscalationStep.Remind remind:
                    state = await RunAsync(context, state, ReminderActivity, work with { Number = remind.Number });
                    break;

                case EscalationStep.WaitForSignal wait:
                    nextSignal ??= context.WaitForExternalEvent<EscalationSignal>(EscalationWorkflow.SignalEventName);
                    if (wait.Deadline is { } deadline)
                    {
                        using var cancelTimer = new CancellationTokenSource();
                        var timer = context.CreateTimer(deadline.UtcDateTime, cancelTimer.Token);
                        if (await Task.WhenAny(nextSignal, timer) != nextSignal)
                        {
                            break; // Deadline reached: the policy now says what is due.
                        }

                        // Cancel synchronously: CancelAsync would resume the orchestrator off its own thread.
#pragma warning disable CA1849
                        cancelTimer.Cancel();
#pragma warning restore CA1849
                    }

                    await nextSignal;
                    nextSignal = null;
                    state = EscalationPolicy.AfterSignal(state);
                    break;
            }
        }
    }

    /// <summary>
    /// Runs one activity, each of which returns the escalation as it is afterwards. The orchestration never fails
    /// itself: a step that still fails after its retries is logged, paused and decided again from the document.
    /// </summary>
    private static async Task<EscalationWorkflowState> RunAsync(TaskOrchestrationContext context, EscalationWorkflowState state, string activity,
        EscalationWork work)
    {
        try
        {
            return EscalationPolicy.After(state, await context.CallActivityAsync<EscalationSnapshot>(activity, work, ActivityRetry));
        }
        catch (TaskFailedException e)
        {
            Log.EscalationStepPostponed(context.CreateReplaySafeLogger<EscalationOrchestrator>(), state.TicketNumber, state.EscalationId,
                e.FailureDetails.ErrorMessage);
            await context.CreateTimer(TicketOrchestrator.EscalationRetryPause, CancellationToken.None);
            return state with { Snapshot = null };
        }
    }
}
