using Escalation.Core.Escalations;
using Escalation.Core.Notifications;
using Escalation.Core.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Escalation.Functions.Workflow;

/// <summary>Binds the ticket orchestration and its activities to the Durable Functions host; the logic lives in Core.</summary>
public sealed class TicketOrchestrationFunctions(EscalationActivities activities, AcknowledgementActivity acknowledgement)
{
    [Function(TicketOrchestrator.Name)]
    public static Task<string> RunTicketOrchestration([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new TicketOrchestrator().RunAsync(context, context.GetInput<TicketWorkflowState>()!);
    }

    [Function(TicketWorkflow.RecordSlaBreachActivity)]
    public Task<SlaBreachOutcome> RecordSlaBreach([ActivityTrigger] string ticketNumber, CancellationToken cancellationToken) =>
        activities.RecordSlaBreachAsync(ticketNumber, cancellationToken);

    [Function(TicketWorkflow.SendEscalationNoticeActivity)]
    public Task SendEscalationNotice([ActivityTrigger] EscalationNotice notice, CancellationToken cancellationToken) =>
        activities.SendNoticeAsync(notice, cancellationToken);

    [Function(TicketWorkflow.SendAcknowledgementActivity)]
    public Task SendAcknowledgement([ActivityTrigger] string ticketNumber, CancellationToken cancellationToken) =>
        acknowledgement.SendAsync(ticketNumber, cancellationToken);
}
