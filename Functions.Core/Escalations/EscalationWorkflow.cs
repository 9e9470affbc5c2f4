using Escalation.Core.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

using Escalation.Core.Workflow;

namespace Escalation.Core.Escalations;

/// <summary>
/// Something changed in an escalation (an action, a reassignment, the ticket's resolution): the coordinator
/// orchestration reads the escalation again. <see cref="Action"/> is informational, so no kind is ever unknown.
/// </summary>
public sealed record EscalationSignal(string Action, string Actor, DateTimeOffset At);

/// <summary>Makes the <see cref="IEscalationWorkflow"/> around a trigger's <see cref="DurableTaskClient"/>.</summary>
public sealed class EscalationWorkflows(TicketStore tickets, ILogger<EscalationWorkflow> logger)
{
    public IEscalationWorkflow For(DurableTaskClient client) => new EscalationWorkflow(client, tickets, logger);
}

public interface IEscalationWorkflow
{
    /// <summary>Starts the escalation's coordinator orchestration unless it runs or has nothing left to do; true when it started one.</summary>
    Task<bool> EnsureStartedAsync(string ticketNumber, string escalationId, CancellationToken cancellationToken = default);

    /// <summary>Tells the coordinator orchestration to read the escalation again, repairing it first when it is missing or broken.</summary>
    Task<bool> SignalAsync(string ticketNumber, string escalationId, EscalationSignal signal, CancellationToken cancellationToken = default);
}

/// <summary>
/// One coordinator orchestration per manager escalation (instance id from ticket and escalation). Like the ticket's,
/// it is disposable: the ticket document is the truth, and a missing or failed one is started again from it (ADR 8).
/// </summary>
public sealed class EscalationWorkflow(DurableTaskClient client, TicketStore tickets, ILogger logger) : IEscalationWorkflow
{
    public const string SignalEventName = "EscalationSignal";

    public static string InstanceId(string ticketNumber, string escalationId) => $"escalation-{ticketNumber}-{escalationId}";

    public async Task<bool> EnsureStartedAsync(string ticketNumber, string escalationId, CancellationToken cancellationToken = default)
    {
        var instanceId = InstanceId(ticketNumber, escalationId);
        var instance = await client.GetInstanceAsync(instanceId, cancellationToken);
        if (DurableInstances.IsAlive(instance))
        {
            return false;
        }

        var escalation = (await tickets.FindAsync(ticketNumber, cancellationToken))?.FindEscalation(escalationId);
        var hasWork = escalation is not null && (escalation.IsOpen || escalation.Outbox.Exists(o => o.DoneAt is null));
        if (!hasWork)
        {
            return false;
        }

        if (instance is not null)
        {
            Log.EscalationOrchestrationRepaired(logger, ticketNumber, escalationId, instance.RuntimeStatus.ToString());
        }

        await DurableInstances.StartFreshAsync(client, EscalationOrchestrator.Name, new EscalationWorkflowState(ticketNumber, escalation!.Id),
            instanceId, instance, cancellationToken);
        return true;
    }

    public async Task<bool> SignalAsync(string ticketNumber, string escalationId, EscalationSignal signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var instanceId = InstanceId(ticketNumber, escalationId);
        if (!DurableInstances.IsAlive(await client.GetInstanceAsync(instanceId, cancellationToken)))
        {
            // A fresh start reads the document anyway; the signal would only be counted.
            if (!await EnsureStartedAsync(ticketNumber, escalationId, cancellationToken))
            {
                Log.EscalationSignalNotDelivered(logger, signal.Action, ticketNumber, escalationId);
            }

            return false;
        }

        await client.RaiseEventAsync(instanceId, SignalEventName, signal, cancellationToken);
        return true;
    }
}
