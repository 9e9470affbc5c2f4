using Escalation.Core.Conversation;
using Escalation.Core.Escalations;
using Escalation.Core.Notifications;
using Escalation.Core.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Escalation.Functions.Workflow;

/// <summary>Binds the ticket orchestration and its activities to the Durable Functions host; the logic lives in Core.</summary>
public sealed class TicketOrchestrationFunctions(EscalationActivities activities, AcknowledgementActivity acknowledgement, ConversationDelivery delivery)
{
    /// <summary>
    /// Registers the orchestrator and every activity above on a Durable Task worker outside the Functions host (the
    /// tests' engine, the benchmarks): the one list of what the app runs, so the two cannot drift from the bindings.
    /// </summary>
    /// <remarks>
    /// Activity names are passed as <see cref="TaskName"/> values, not constants: the Durable analyzers collect every
    /// constant-named activity of the compilation by name and fail (AD0001) on a name that is also a [Function]. The
    /// [Function] methods stay the definitions the analyzers check CallActivityAsync against.
    /// </remarks>
    public static void Register(DurableTaskRegistry registry, TicketOrchestrationFunctions functions)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(functions);
        registry.AddOrchestratorFunc<TicketWorkflowState, string>(TicketOrchestrator.Name,
            (context, _) => RunTicketOrchestration(context));
        registry.AddActivityFunc<string, SlaBreachOutcome>(new TaskName(TicketWorkflow.RecordSlaBreachActivity),
            (_, ticketNumber) => functions.RecordSlaBreach(ticketNumber, CancellationToken.None));
        registry.AddActivityFunc<string, SlaBreachOutcome>(new TaskName(TicketWorkflow.EscalateSlaBreachActivity),
            (_, ticketNumber) => functions.EscalateSlaBreach(ticketNumber, CancellationToken.None));
        registry.AddActivityFunc<EscalationNotice>(new TaskName(TicketWorkflow.SendEscalationNoticeActivity),
            (_, notice) => functions.SendEscalationNotice(notice, CancellationToken.None));
        registry.AddActivityFunc<string>(new TaskName(TicketWorkflow.SendAcknowledgementActivity),
            (_, ticketNumber) => functions.SendAcknowledgement(ticketNumber, CancellationToken.None));
        registry.AddOrchestratorFunc<OutgoingRef, string>(TicketMessageOrchestrator.Name, (context, _) => RunTicketMessageOrchestration(context));
        registry.AddActivityFunc<OutgoingRef>(new TaskName(TicketMessageOrchestrator.DeliverActivity),
            (_, message) => functions.DeliverTicketMessage(message, CancellationToken.None));
    }

    [Function(TicketOrchestrator.Name)]
    public static Task<string> RunTicketOrchestration([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new TicketOrchestrator().RunAsync(context, context.GetInput<TicketWorkflowState>()!);
    }

    /// <summary>Orchestration versions 1 and 2 call this; version 3 calls <see cref="EscalateSlaBreach"/>.</summary>
    [Function(TicketWorkflow.RecordSlaBreachActivity)]
    public Task<SlaBreachOutcome> RecordSlaBreach([ActivityTrigger] string ticketNumber, CancellationToken cancellationToken) =>
        activities.RecordSlaBreachAsync(ticketNumber, cancellationToken);

    [Function(TicketWorkflow.EscalateSlaBreachActivity)]
    public Task<SlaBreachOutcome> EscalateSlaBreach([ActivityTrigger] string ticketNumber, CancellationToken cancellationToken) =>
        activities.EscalateSlaBreachAsync(ticketNumber, cancellationToken);

    [Function(TicketWorkflow.SendEscalationNoticeActivity)]
    public Task SendEscalationNotice([ActivityTrigger] EscalationNotice notice, CancellationToken cancellationToken) =>
        activities.SendNoticeAsync(notice, cancellationToken);

    [Function(TicketMessageOrchestrator.Name)]
    public static Task<string> RunTicketMessageOrchestration([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new TicketMessageOrchestrator().RunAsync(context, context.GetInput<OutgoingRef>()!);
    }

    [Function(TicketMessageOrchestrator.DeliverActivity)]
    public Task DeliverTicketMessage([ActivityTrigger] OutgoingRef message, CancellationToken cancellationToken) =>
        delivery.DeliverAsync(message, cancellationToken);

    [Function(TicketWorkflow.SendAcknowledgementActivity)]
    public Task SendAcknowledgement([ActivityTrigger] string ticketNumber, CancellationToken cancellationToken) =>
        acknowledgement.SendAsync(ticketNumber, cancellationToken);
}
