using Escalation.Core.Conversation;
using Escalation.Core.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Escalation.Core.Workflow;

/// <summary>Makes the <see cref="ITicketWorkflow"/> around a trigger's <see cref="DurableTaskClient"/> (which only comes through the binding).</summary>
public sealed class TicketWorkflows(TicketStore tickets, OrchestrationStarter starter, ILogger<TicketWorkflow> logger)
{
    public TicketWorkflow For(DurableTaskClient client) => new(client, tickets, starter, logger);
}

/// <summary>
/// Starts, signals and repairs ticket orchestrations. The ticket document is the truth and an orchestration is
/// disposable: one that failed, was terminated or is missing is started again from the ticket (see ADR 7).
/// </summary>
public sealed class TicketWorkflow(DurableTaskClient client, TicketStore tickets, OrchestrationStarter starter, ILogger logger) : ITicketWorkflow
{
    public const string SignalEventName = "TicketSignal";
    public const string RecordSlaBreachActivity = "RecordSlaBreach";
    public const string EscalateSlaBreachActivity = "EscalateSlaBreach";
    public const string SendEscalationNoticeActivity = "SendEscalationNotice";
    public const string SendAcknowledgementActivity = "SendAcknowledgement";
    public const string StartEscalationsActivity = "StartEscalationOrchestrations";
    public const string EndEscalationsActivity = "EndEscalationOrchestrations";

    public static string InstanceId(string ticketNumber) => $"ticket-{ticketNumber}";

    public async Task<bool> EnsureStartedAsync(TicketWorkflowState initialState, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initialState);
        var instance = await client.GetInstanceAsync(InstanceId(initialState.TicketNumber), cancellationToken);
        if (DurableInstances.IsAlive(instance) || initialState.Resolved)
        {
            return false;
        }

        await StartAsync(initialState, instance, cancellationToken);
        return true;
    }

    /// <summary>Queues the start on the <see cref="OrchestrationStarter"/>: intake does not wait for the backend (ADR 12).</summary>
    public Task<bool> StartNewAsync(TicketWorkflowState initialState, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initialState);
        starter.Enqueue(initialState.TicketNumber, token => ScheduleNewAsync(initialState, token));
        return Task.FromResult(true);
    }

    /// <summary>
    /// Schedules the orchestration of a ticket stored under a new number without looking one up first. One that is
    /// already alive (a signal that came first started it from the ticket) is kept, not replaced; any other refusal
    /// goes to <see cref="EnsureStartedAsync"/>. True when it started one.
    /// </summary>
    public async Task<bool> ScheduleNewAsync(TicketWorkflowState initialState, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initialState);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(TicketOrchestrator.Name, initialState,
                new StartOrchestrationOptions(InstanceId(initialState.TicketNumber)).WithDedupeStatuses(DurableInstances.AliveStatuses), cancellationToken);
            return true;
        }
#pragma warning disable CA1031 // "Already exists" (reported differently by each backend) or a passing failure: the repairing path decides.
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return await EnsureStartedAsync(initialState, cancellationToken);
        }
    }

    public async Task<bool> IsRunningAsync(string ticketNumber, CancellationToken cancellationToken = default) =>
        DurableInstances.IsAlive(await client.GetInstanceAsync(InstanceId(ticketNumber), cancellationToken));

    /// <summary>
    /// Starts the delivery orchestration of each message unless one runs for it; one that ended while the message is
    /// still owed (its retries gave up) is started again. Awaited, not queued: the message is owed in the ticket document
    /// already, and the repair sweep finds one whose start did not happen.
    /// </summary>
    public async Task DeliverAsync(string ticketNumber, IEnumerable<string> outgoingIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outgoingIds);
        foreach (var id in outgoingIds)
        {
            var message = new OutgoingRef(ticketNumber, id);
            var instanceId = TicketMessageOrchestrator.InstanceId(message);
            var instance = await client.GetInstanceAsync(instanceId, cancellationToken);
            if (!DurableInstances.IsAlive(instance))
            {
                await DurableInstances.StartFreshAsync(client, TicketMessageOrchestrator.Name, message, instanceId, instance, cancellationToken);
            }
        }
    }

    /// <summary>Queues the deliveries on the <see cref="OrchestrationStarter"/>, like a new ticket's orchestration (ADR 12).</summary>
    public Task DeliverLaterAsync(string ticketNumber, IReadOnlyList<string> outgoingIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outgoingIds);
        if (outgoingIds.Count > 0)
        {
            starter.Enqueue(ticketNumber, token => DeliverAsync(ticketNumber, outgoingIds, token));
        }

        return Task.CompletedTask;
    }

    public async Task<bool> SignalAsync(string ticketNumber, TicketSignal signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var instanceId = InstanceId(ticketNumber);
        var instance = await client.GetInstanceAsync(instanceId, cancellationToken);
        if (!DurableInstances.IsAlive(instance))
        {
            var ticket = await tickets.FindAsync(ticketNumber, cancellationToken);
            if (ticket is null || ticket.IsResolved)
            {
                Log.SignalNotDelivered(logger, signal.Kind, ticketNumber);
                return false;
            }

            await StartAsync(TicketWorkflowState.For(ticket), instance, cancellationToken);
        }

        await client.RaiseEventAsync(instanceId, SignalEventName, signal, cancellationToken);
        return true;
    }

    /// <summary>Starts the orchestration; one that ended without the ticket being resolved is purged and started again.</summary>
    private async Task StartAsync(TicketWorkflowState state, OrchestrationMetadata? previous, CancellationToken cancellationToken)
    {
        if (previous is not null)
        {
            Log.OrchestrationRepaired(logger, state.TicketNumber, previous.RuntimeStatus.ToString());
        }

        await DurableInstances.StartFreshAsync(client, TicketOrchestrator.Name, state, InstanceId(state.TicketNumber), previous, cancellationToken);
    }
}

public interface ITicketWorkflow
{
    /// <summary>
    /// Starts the ticket's orchestration unless one is running (intake retries are safe); one that failed or ended
    /// while the ticket is open is started again. True when it started one.
    /// </summary>
    Task<bool> EnsureStartedAsync(TicketWorkflowState initialState, CancellationToken cancellationToken = default);

    /// <summary>
    /// Has the orchestration of a ticket just stored under a new number started, where none is expected to exist yet:
    /// <see cref="TicketWorkflow"/> queues it and returns at once (ADR 12). True when a start was made or queued.
    /// </summary>
    Task<bool> StartNewAsync(TicketWorkflowState initialState, CancellationToken cancellationToken = default) =>
        EnsureStartedAsync(initialState, cancellationToken);

    /// <summary>Whether the ticket's orchestration is running, pending or suspended; false when unknown (callers then repair).</summary>
    Task<bool> IsRunningAsync(string ticketNumber, CancellationToken cancellationToken = default) => Task.FromResult(false);

    /// <summary>
    /// Raises the signal on the ticket's orchestration, first starting it again from the ticket document when it failed
    /// or is missing; false when the ticket is resolved (or gone) and there is nothing to signal.
    /// </summary>
    Task<bool> SignalAsync(string ticketNumber, TicketSignal signal, CancellationToken cancellationToken = default);

    /// <summary>Has the ticket's owed messages (<see cref="Tickets.Ticket.Outgoing"/>) delivered, each by its own orchestration (ADR 13).</summary>
    Task DeliverAsync(string ticketNumber, IEnumerable<string> outgoingIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="DeliverAsync"/>, for a request that should not wait for it (intake): <see cref="TicketWorkflow"/>
    /// queues the starts and returns at once; the repair sweep makes any that a stopping process did not.
    /// </summary>
    Task DeliverLaterAsync(string ticketNumber, IReadOnlyList<string> outgoingIds, CancellationToken cancellationToken = default) =>
        outgoingIds.Count == 0 ? Task.CompletedTask : DeliverAsync(ticketNumber, outgoingIds, cancellationToken);
}
