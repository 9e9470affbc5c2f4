using Escalation.Core.Escalations;
using Escalation.Core.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Escalation.Functions.Workflow;

/// <summary>Binds the coordinator orchestration, its activities and the ticket orchestration's escalation activities; the logic lives in Core.</summary>
public sealed class EscalationOrchestrationFunctions(EscalationWorkflowActivities activities, EscalationWorkflows workflows)
{
    /// <summary>
    /// Registers the same orchestrator and activities with a Durable Task worker outside the Functions host (the tests'
    /// engine, the benchmarks); <paramref name="client"/> stands in for the [DurableClient] binding.
    /// </summary>
    public static void Register(DurableTaskRegistry registry, EscalationOrchestrationFunctions functions, Func<DurableTaskClient> client)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(functions);
        ArgumentNullException.ThrowIfNull(client);
        registry.AddOrchestratorFunc<EscalationWorkflowState, string>(EscalationOrchestrator.Name,
            (context, _) => RunEscalationOrchestration(context));
        registry.AddActivityFunc<EscalationIds>(new TaskName(TicketWorkflow.StartEscalationsActivity),
            (_, ids) => functions.StartEscalations(ids, client(), CancellationToken.None));
        registry.AddActivityFunc<EscalationIds>(new TaskName(TicketWorkflow.EndEscalationsActivity),
            (_, ids) => functions.EndEscalations(ids, client(), CancellationToken.None));
        registry.AddActivityFunc<EscalationWork, EscalationSnapshot>(new TaskName(EscalationOrchestrator.LoadActivity),
            (_, work) => functions.LoadEscalation(work, CancellationToken.None));
        registry.AddActivityFunc<EscalationWork, EscalationSnapshot>(new TaskName(EscalationOrchestrator.AssignCoordinatorActivity),
            (_, work) => functions.AssignEscalationCoordinator(work, CancellationToken.None));
        registry.AddActivityFunc<EscalationWork, EscalationSnapshot>(new TaskName(EscalationOrchestrator.MissedAcknowledgementActivity),
            (_, work) => functions.RecordMissedEscalationAcknowledgement(work, CancellationToken.None));
        registry.AddActivityFunc<EscalationWork, EscalationSnapshot>(new TaskName(EscalationOrchestrator.ReminderActivity),
            (_, work) => functions.RecordEscalationReminder(work, CancellationToken.None));
        registry.AddActivityFunc<EscalationWork, EscalationSnapshot>(new TaskName(EscalationOrchestrator.OutboxActivity),
            (_, work) => functions.ProcessEscalationOutbox(work, CancellationToken.None));
    }

    [Function(EscalationOrchestrator.Name)]
    public static Task<string> RunEscalationOrchestration([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new EscalationOrchestrator().RunAsync(context, context.GetInput<EscalationWorkflowState>()!);
    }

    /// <summary>Starts each escalation's coordinator orchestration unless it runs (called by the ticket orchestration).</summary>
    [Function(TicketWorkflow.StartEscalationsActivity)]
    public async Task StartEscalations([ActivityTrigger] EscalationIds escalations, [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(escalations);
        foreach (var id in escalations.Ids)
        {
            await workflows.For(durableClient).EnsureStartedAsync(escalations.TicketNumber, id, cancellationToken);
        }
    }

    /// <summary>The ticket is resolved (which closed its escalations in the document): each coordinator orchestration reads that and ends.</summary>
    [Function(TicketWorkflow.EndEscalationsActivity)]
    public async Task EndEscalations([ActivityTrigger] EscalationIds escalations, [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(escalations);
        foreach (var id in escalations.Ids)
        {
            await workflows.For(durableClient).SignalAsync(escalations.TicketNumber, id,
                new EscalationSignal("ticket-resolved", "system", DateTimeOffset.UtcNow), cancellationToken);
        }
    }

    [Function(EscalationOrchestrator.LoadActivity)]
    public Task<EscalationSnapshot> LoadEscalation([ActivityTrigger] EscalationWork work, CancellationToken cancellationToken) =>
        activities.LoadAsync(work, cancellationToken);

    [Function(EscalationOrchestrator.AssignCoordinatorActivity)]
    public Task<EscalationSnapshot> AssignEscalationCoordinator([ActivityTrigger] EscalationWork work, CancellationToken cancellationToken) =>
        activities.AssignCoordinatorAsync(work, cancellationToken);

    [Function(EscalationOrchestrator.MissedAcknowledgementActivity)]
    public Task<EscalationSnapshot> RecordMissedEscalationAcknowledgement([ActivityTrigger] EscalationWork work, CancellationToken cancellationToken) =>
        activities.RecordMissedAcknowledgementAsync(work, cancellationToken);

    [Function(EscalationOrchestrator.ReminderActivity)]
    public Task<EscalationSnapshot> RecordEscalationReminder([ActivityTrigger] EscalationWork work, CancellationToken cancellationToken) =>
        activities.RecordReminderAsync(work, cancellationToken);

    [Function(EscalationOrchestrator.OutboxActivity)]
    public Task<EscalationSnapshot> ProcessEscalationOutbox([ActivityTrigger] EscalationWork work, CancellationToken cancellationToken) =>
        activities.ProcessOutboxAsync(work, cancellationToken);
}
