using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Escalation.Core.Workflow;

/// <summary>
/// One orchestration per ticket (instance id from <see cref="TicketWorkflow.InstanceId"/>). It waits for the first
/// response or the SLA deadline, escalates on breach (one activity records it and sends the notices in parallel; a notice
/// that did not go out is retried as an activity of its own), and then keeps listening for the ticket's signals until
/// the ticket is resolved. Decisions come from <see cref="TicketWorkflowPolicy"/>.
/// </summary>
public sealed class TicketOrchestrator : TaskOrchestrator<TicketWorkflowState, string>
{
    public const string Name = "TicketOrchestrator";

    /// <summary>
    /// Activities fail only for passing reasons (a provider or store outage; permanent refusals are recorded, not
    /// thrown), so they are retried for as long as an outage plausibly lasts: soon at first, then every five minutes,
    /// for up to a week.
    /// </summary>
    public static readonly RetryPolicy ActivityRetryPolicy = new(
        maxNumberOfAttempts: 5_000, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromMinutes(5), retryTimeout: TimeSpan.FromDays(7));

    /// <summary>How long the orchestration waits before trying an escalation again after its retries gave up.</summary>
    public static readonly TimeSpan EscalationRetryPause = TimeSpan.FromMinutes(15);

    private static readonly TaskOptions ActivityRetry = TaskOptions.FromRetryPolicy(ActivityRetryPolicy);

    public override async Task<string> RunAsync(TaskOrchestrationContext context, TicketWorkflowState input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var state = input;

        // One waiter at a time, kept across loop turns until it receives a signal: a waiter abandoned when the
        // deadline wins would otherwise swallow the next signal.
        Task<TicketSignal>? nextSignal = null;

        // The acknowledgement runs beside everything else: however long a mail outage lasts, the SLA clock keeps going.
        Task? acknowledgement = null;
        while (true)
        {
            if (acknowledgement is null && TicketWorkflowPolicy.NeedsAcknowledgement(state))
            {
                acknowledgement = AcknowledgeAsync(context, state);
            }

            switch (TicketWorkflowPolicy.Next(state, context.CurrentUtcDateTime))
            {
                case WorkflowStep.Complete:
                    return $"{state.TicketNumber} resolved";

                case WorkflowStep.StartNewGeneration:
                    // A pending acknowledgement is started again by the next generation (the mailer sends it once).
                    context.ContinueAsNew(TicketWorkflowPolicy.ForNewGeneration(state), preserveUnprocessedEvents: true);
                    return $"{state.TicketNumber} continued as new";

                case WorkflowStep.StartEscalations start:
                    if (await TryActivityAsync(context, TicketWorkflow.StartEscalationsActivity, new EscalationIds(state.TicketNumber, start.EscalationIds), state))
                    {
                        state = TicketWorkflowPolicy.AfterEscalationsStarted(state, start.EscalationIds);
                    }

                    break;

                case WorkflowStep.EndEscalations end:
                    if (await TryActivityAsync(context, TicketWorkflow.EndEscalationsActivity, new EscalationIds(state.TicketNumber, end.EscalationIds), state))
                    {
                        state = TicketWorkflowPolicy.AfterEscalationsEnded(state);
                    }

                    break;

                case WorkflowStep.Escalate:
                    state = await TryAsync(context, state, () => EscalateAsync(context, state)) ?? state;
                    break;

                case WorkflowStep.WaitForSignal wait:
                    nextSignal ??= context.WaitForExternalEvent<TicketSignal>(TicketWorkflow.SignalEventName);
                    using (var cancelTimer = new CancellationTokenSource())
                    {
                        var timer = wait.Deadline is { } deadline ? context.CreateTimer(deadline.UtcDateTime, cancelTimer.Token) : null;
                        var first = await Task.WhenAny(new[] { nextSignal, timer, acknowledgement }.OfType<Task>());
                        if (first == timer)
                        {
                            state = TicketWorkflowPolicy.AfterDeadlineTimer(state);
                            break; // Deadline reached: the policy now says Escalate.
                        }

                        // Cancel synchronously: CancelAsync would resume the orchestrator off its own thread.
#pragma warning disable CA1849
                        cancelTimer.Cancel();
#pragma warning restore CA1849
                        if (first == acknowledgement)
                        {
                            state = TicketWorkflowPolicy.AfterAcknowledgement(state);
                            acknowledgement = null;
                            break;
                        }
                    }

                    var signal = await nextSignal;
                    if (!TicketWorkflowPolicy.Understands(signal))
                    {
                        Log.UnknownSignal(context.CreateReplaySafeLogger<TicketOrchestrator>(), state.TicketNumber, signal.Kind.ToString());
                    }

                    state = TicketWorkflowPolicy.Apply(state, signal);
                    nextSignal = null;
                    break;
            }
        }
    }

    private static async Task<TicketWorkflowState> EscalateAsync(TaskOrchestrationContext context, TicketWorkflowState state)
    {
        var activity = TicketWorkflowPolicy.SendsNoticesWithBreach(state)
            ? TicketWorkflow.EscalateSlaBreachActivity
            : TicketWorkflow.RecordSlaBreachActivity;
        var outcome = await context.CallActivityAsync<SlaBreachOutcome>(activity, state.TicketNumber, ActivityRetry);
        var sends = outcome.Notices.Select(notice => SendNoticeAsync(context, notice));
        await Task.WhenAll(sends);
        return TicketWorkflowPolicy.AfterBreach(state, outcome);
    }

    /// <summary>Runs an activity; one that still fails after its retries is logged and tried again after a pause (false).</summary>
    private static async Task<bool> TryActivityAsync(TaskOrchestrationContext context, string activity, object input, TicketWorkflowState state) =>
        await TryAsync(context, state, async () =>
        {
            await context.CallActivityAsync(activity, input, ActivityRetry);
            return state;
        }) is not null;

    /// <summary>
    /// Never fails the ticket's orchestration: work that still fails after its retries is logged, and after a pause the
    /// policy asks for it again (null).
    /// </summary>
    private static async Task<T?> TryAsync<T>(TaskOrchestrationContext context, TicketWorkflowState state, Func<Task<T>> work)
        where T : class
    {
        try
        {
            return await work();
        }
        catch (TaskFailedException e)
        {
            Log.EscalationPostponed(context.CreateReplaySafeLogger<TicketOrchestrator>(), state.TicketNumber, e.FailureDetails.ErrorMessage);
            await context.CreateTimer(EscalationRetryPause, CancellationToken.None);
            return null;
        }
    }

    /// <summary>An acknowledgement that still fails after a week of retries is logged for ops; the ticket goes on.</summary>
    private static async Task AcknowledgeAsync(TaskOrchestrationContext context, TicketWorkflowState state)
    {
        try
        {
            await context.CallActivityAsync(TicketWorkflow.SendAcknowledgementActivity, state.TicketNumber, ActivityRetry);
        }
        catch (TaskFailedException e)
        {
            Log.NoticeNotSent(context.CreateReplaySafeLogger<TicketOrchestrator>(), $"{state.TicketNumber}.ack", state.TicketNumber,
                e.FailureDetails.ErrorMessage);
        }
    }

    /// <summary>A notice that still fails after a week of retries is logged for ops; the other notices and the ticket go on.</summary>
    private static async Task SendNoticeAsync(TaskOrchestrationContext context, EscalationNotice notice)
    {
        try
        {
            await context.CallActivityAsync(TicketWorkflow.SendEscalationNoticeActivity, notice, ActivityRetry);
        }
        catch (TaskFailedException e)
        {
            var logger = context.CreateReplaySafeLogger<TicketOrchestrator>();
            Log.NoticeNotSent(logger, notice.NoticeId, notice.TicketNumber, e.FailureDetails.ErrorMessage);
        }
    }
}
