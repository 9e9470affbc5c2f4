using Ardalis.Result;
using Escalation.Core.Identity;
using Escalation.Core.Organization;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;

namespace Escalation.Core.Escalations;

/// <summary>Which escalation, who is acting, and the request's Idempotency-Key.</summary>
public sealed record CoordinatorCommand(string TicketNumber, string EscalationId, Caller Caller, ActionKey Key);

/// <summary>
/// The Escalation Coordinator's actions on a manager escalation. Allowed to coordinators on the roster (role
/// coordinator): the assigned one, or another who takes the escalation over by acting on it (recorded, and counted as
/// their acknowledgement). Reassignment is also allowed to the coordinators' manager. Each action is stored with its
/// history entry and owed mails in one write, then signalled to the coordinator orchestration; a retried action (same
/// caller and Idempotency-Key) changes nothing, the same key with another request is 409.
/// </summary>
public sealed class EscalationActions(TicketStore tickets, DirectoryStore directory, AcknowledgementDeadline deadline, TimeProvider timeProvider)
{
    private enum Act
    {
        Acknowledge,
        Step,
        Waive,
        Eta,
        Close,
        Reassign,
    }

    public async Task<Result<EscalationView>> GetAsync(string ticketNumber, string escalationId, Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await tickets.FindAsync(ticketNumber, cancellationToken) is not { } ticket)
        {
            return Result.NotFound(TicketAccessPolicy.NotFoundMessage(ticketNumber));
        }

        var orgDirectory = await CurrentDirectoryAsync(cancellationToken);
        var relationships = TicketAccessPolicy.RelationshipOf(ticket, caller, orgDirectory);
        var visibility = TicketAccessPolicy.Visibility(relationships);
        if (orgDirectory is not null && EscalationRequests.IsCoordinator(caller, PersonId(caller, orgDirectory), orgDirectory))
        {
            visibility = TicketVisibility.Everything; // any coordinator may take it over, so they see what they would take
        }

        if (visibility == TicketVisibility.None)
        {
            return TicketAccessPolicy.Refuse<EscalationView>(ticketNumber, caller, relationships,
                $"Only the requester's side, the staff involved and Escalation Coordinators may read escalation {escalationId}.");
        }

        return ticket.FindEscalation(escalationId) is { } escalation
            ? EscalationView.Of(escalation, visibility)
            : Result.NotFound($"Ticket {ticketNumber} has no escalation {escalationId}.");
    }

    public Task<Result<EscalationView>> AcknowledgeAsync(CoordinatorCommand command, IEscalationWorkflow workflow, CancellationToken cancellationToken = default) =>
        ActAsync(command, Act.Acknowledge, [], workflow, (ticket, escalation, actor, entryId, fingerprint, now) =>
            EscalationChanges.Acknowledge(ticket, escalation, actor, now, entryId, fingerprint), cancellationToken);

    public async Task<Result<EscalationView>> CompleteStepAsync(CoordinatorCommand command, int step, string? note, IEscalationWorkflow workflow,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!Enum.IsDefined((ChecklistStep)step))
        {
            return Invalid("step", "The checklist has steps 1 to 7.");
        }

        var checklistStep = (ChecklistStep)step;
        if (EscalationChanges.NeedsNote(checklistStep) && string.IsNullOrWhiteSpace(note))
        {
            return Invalid("note", checklistStep == ChecklistStep.ContactedUser
                ? "Step 2 needs a note: what was learned or clarified."
                : "Step 4 needs the status text the escalating manager is e-mailed.");
        }

        if (note?.Length > EscalationChanges.NoteMaxLength)
        {
            return Invalid("note", $"A note has at most {EscalationChanges.NoteMaxLength} characters.");
        }

        var orgDirectory = await CurrentDirectoryAsync(cancellationToken);
        return await ActAsync(command, Act.Step, [step.ToString(System.Globalization.CultureInfo.InvariantCulture), note], workflow,
            (ticket, escalation, actor, entryId, fingerprint, now) =>
            {
                var route = checklistStep == ChecklistStep.RoutedToOwner && orgDirectory is not null ? EscalationRouting.Route(ticket, orgDirectory) : null;
                return EscalationChanges.CompleteStep(ticket, escalation, checklistStep, actor, note, now, entryId, fingerprint, route);
            }, cancellationToken);
    }

    public Task<Result<EscalationView>> WaiveAsync(CoordinatorCommand command, int step, string? reason, IEscalationWorkflow workflow,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!Enum.IsDefined((ChecklistStep)step))
        {
            return Task.FromResult(Invalid("step", "The checklist has steps 1 to 7."));
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Length > EscalationChanges.NoteMaxLength)
        {
            return Task.FromResult(Invalid("reason", $"Waiving a step needs a reason of 1 to {EscalationChanges.NoteMaxLength} characters."));
        }

        return ActAsync(command, Act.Waive, [step.ToString(System.Globalization.CultureInfo.InvariantCulture), reason], workflow,
            (ticket, escalation, actor, entryId, fingerprint, now) =>
                EscalationChanges.Waive(ticket, escalation, (ChecklistStep)step, actor, reason, now, entryId, fingerprint), cancellationToken);
    }

    public Task<Result<EscalationView>> SendEtaAsync(CoordinatorCommand command, DateTimeOffset? resolveBy, string? message, IEscalationWorkflow workflow,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var errors = new List<ValidationError>();
        if (resolveBy is null || resolveBy <= timeProvider.GetUtcNow())
        {
            errors.Add(new ValidationError("resolveBy", "The estimated resolution time (date and time, in the future) is required.", null, ValidationSeverity.Error));
        }

        if (string.IsNullOrWhiteSpace(message) || message.Length > EscalationChanges.NoteMaxLength)
        {
            errors.Add(new ValidationError("message", $"A message to the user of 1 to {EscalationChanges.NoteMaxLength} characters is required.", null,
                ValidationSeverity.Error));
        }

        if (errors.Count > 0)
        {
            return Task.FromResult<Result<EscalationView>>(Result.Invalid(errors));
        }

        return ActAsync(command, Act.Eta, [resolveBy!.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture), message], workflow,
            (ticket, escalation, actor, entryId, fingerprint, now) =>
                EscalationChanges.SendEta(ticket, escalation, actor, resolveBy.Value, message!, now, entryId, fingerprint), cancellationToken);
    }

    public async Task<Result<EscalationView>> CloseAsync(CoordinatorCommand command, string? note, IEscalationWorkflow workflow, ITicketWorkflow ticketWorkflow,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(ticketWorkflow);
        if (note?.Length > EscalationChanges.NoteMaxLength)
        {
            return Invalid("note", $"A note has at most {EscalationChanges.NoteMaxLength} characters.");
        }

        var result = await ActAsync(command, Act.Close, [note], workflow, (ticket, escalation, actor, entryId, fingerprint, now) =>
            EscalationChanges.Close(ticket, escalation, actor, note, now, entryId, fingerprint), cancellationToken);
        if (result.IsSuccess)
        {
            await ticketWorkflow.SignalAsync(command.TicketNumber,
                new TicketSignal(TicketSignalKind.EscalationClosed, command.Caller.Id, timeProvider.GetUtcNow(), result.Value.Id), cancellationToken);
        }

        return result;
    }

    /// <summary>Hands the escalation to <paramref name="coordinatorId"/>, or to the least loaded other coordinator when none is named.</summary>
    public async Task<Result<EscalationView>> ReassignAsync(CoordinatorCommand command, string? coordinatorId, string? reason, IEscalationWorkflow workflow,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (reason?.Length > EscalationChanges.NoteMaxLength)
        {
            return Invalid("reason", $"A reason has at most {EscalationChanges.NoteMaxLength} characters.");
        }

        var orgDirectory = await CurrentDirectoryAsync(cancellationToken);
        if (coordinatorId is not null && orgDirectory?.Document.Coordinators.Exists(c => c.PersonId == coordinatorId) != true)
        {
            return Invalid("coordinatorId", $"'{coordinatorId}' is not on the coordinator roster.");
        }

        var loads = coordinatorId is null ? await tickets.OpenEscalationLoadsAsync(cancellationToken) : [];
        return await ActAsync(command, Act.Reassign, [coordinatorId, reason], workflow, (ticket, escalation, actor, entryId, fingerprint, now) =>
        {
            var target = coordinatorId ?? CoordinatorAssignment.Choose(orgDirectory!.Document.Coordinators, loads, escalation.CoordinatorId);
            return target is null
                ? Result.Conflict("The coordinator roster is empty.")
                : EscalationChanges.Reassign(ticket, escalation, actor, target, reason, now, deadline.From(now), entryId, fingerprint,
                    orgDirectory is null ? null : orgDirectory.NameOf);
        }, cancellationToken);
    }

    private async Task<Result<EscalationView>> ActAsync(CoordinatorCommand command, Act act, string?[] request, IEscalationWorkflow workflow,
        Func<Ticket, ManagerEscalation, string, string, string, DateTimeOffset, Result> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(workflow);
        var orgDirectory = await CurrentDirectoryAsync(cancellationToken);
        if (orgDirectory is null)
        {
            return Result.Unavailable("The org directory is not loaded.");
        }

        var actor = PersonId(command.Caller, orgDirectory);
        var isCoordinator = EscalationRequests.IsCoordinator(command.Caller, actor, orgDirectory);
        var name = act.ToString().ToLowerInvariant();
        var fingerprint = Hashing.Sha256Hex([name, command.EscalationId, .. request])[..32];
        var entryId = command.Key.EntryId($"escalation-{name}", actor);
        var now = timeProvider.GetUtcNow();
        var result = await tickets.UpdateAsync(command.TicketNumber, ticket =>
        {
            if (ticket.FindEscalation(command.EscalationId) is not { } escalation)
            {
                return Result<ManagerEscalation>.NotFound($"Ticket {command.TicketNumber} has no escalation {command.EscalationId}.");
            }

            var managesCoordinator = orgDirectory.Document.Coordinators.Exists(c => c.PersonId == escalation.CoordinatorId && c.ManagerId == actor);
            if (!isCoordinator && !(act == Act.Reassign && managesCoordinator))
            {
                return Result<ManagerEscalation>.Forbidden(act == Act.Reassign
                    ? $"Only Escalation Coordinators on the roster (role coordinator) and the coordinator's manager may reassign escalation {escalation.Id}."
                    : $"Only Escalation Coordinators on the roster (role coordinator) may {name} escalation {escalation.Id}.");
            }

            var replay = ticket.IsReplay(entryId, fingerprint);
            if (!replay.IsSuccess || replay.Value)
            {
                return replay.Map(_ => escalation);
            }

            if (isCoordinator && act != Act.Reassign && escalation.IsOpen && escalation.CoordinatorId != actor)
            {
                EscalationChanges.TakeOver(ticket, escalation, actor, now, entryId);
            }

            return change(ticket, escalation, actor, entryId, fingerprint, now).Map(() => escalation);
        }, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Map(_ => (EscalationView)null!);
        }

        // Also for a retry: the signal only makes the orchestration read the escalation again.
        await workflow.SignalAsync(command.TicketNumber, result.Value.Id, new EscalationSignal(name, actor, now), cancellationToken);
        return EscalationView.Of(result.Value, TicketVisibility.Everything);
    }

    private async Task<OrgDirectory?> CurrentDirectoryAsync(CancellationToken cancellationToken)
    {
        var current = await directory.GetCurrentAsync(cancellationToken);
        return current.IsSuccess ? current.Value : null;
    }

    private static string PersonId(Caller caller, OrgDirectory orgDirectory) => orgDirectory.FindCaller(caller.Id, caller.Email)?.Id ?? caller.Id;

    private static Result<EscalationView> Invalid(string field, string message) =>
        Result.Invalid(new ValidationError(field, message, null, ValidationSeverity.Error));
}
