using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Escalation.Core.Workflow;

/// <summary>Starts and signals ticket orchestrations. Created per call around the trigger's <see cref="DurableTaskClient"/>.</summary>
public sealed class TicketWorkflow(DurableTaskClient client, ILogger logger) : ITicketWorkflow
{
    public const string SignalEventName = "TicketSignal";
    public const string RecordSlaBreachActivity = "RecordSlaBreach";
    public const string SendEscalationNoticeActivity = "SendEscalationNotice";
    public const string SendAcknowledgementActivity = "SendAcknowledgement";

    public static string InstanceId(string ticketNumber) => $"ticket-{ticketNumber}";

    public async Task EnsureStartedAsync(TicketWorkflowState initialState, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initialState);
        var instanceId = InstanceId(initialState.TicketNumber);
        if (await client.GetInstanceAsync(instanceId, cancellationToken) is not null)
        {
            return;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(TicketOrchestrator.Name, initialState,
                new StartOrchestrationOptions(instanceId), cancellationToken);
        }
#pragma warning disable CA1031 // Backends report "already exists" differently; what matters is whether it exists now.
        catch (Exception)
#pragma warning restore CA1031
        {
            if (await client.GetInstanceAsync(instanceId, cancellationToken) is null)
            {
                throw;
            }
        }
    }

    public async Task<bool> SignalAsync(string ticketNumber, TicketSignal signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var instanceId = InstanceId(ticketNumber);
        var instance = await client.GetInstanceAsync(instanceId, cancellationToken);
        if (instance is null || instance.IsCompleted)
        {
            Log.SignalNotDelivered(logger, signal.Kind, ticketNumber);
            return false;
        }

        await client.RaiseEventAsync(instanceId, SignalEventName, signal, cancellationToken);
        return true;
    }
}

public interface ITicketWorkflow
{
    /// <summary>Starts the ticket's orchestration unless it already exists (intake retries are safe).</summary>
    Task EnsureStartedAsync(TicketWorkflowState initialState, CancellationToken cancellationToken = default);

    /// <summary>Raises the signal on the ticket's running orchestration; false when none is running.</summary>
    Task<bool> SignalAsync(string ticketNumber, TicketSignal signal, CancellationToken cancellationToken = default);
}
