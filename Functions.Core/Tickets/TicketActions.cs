using Ardalis.Result;
using Escalation.Core.Conversation;
using Escalation.Core.Identity;
using Escalation.Core.Organization;
using Escalation.Core.Storage;
using Escalation.Core.Workflow;

namespace Escalation.Core.Tickets;

/// <summary>
/// What identifies one agent request for retries: the caller's Idempotency-Key (none: every request is new). Keys are
/// scoped to the caller, so two people can never collide, and bounded like intake delivery keys.
/// </summary>
public sealed record ActionKey(string? IdempotencyKey)
{
    /// <summary>As documented for the Idempotency-Key header of every endpoint.</summary>
    public const int MaxLength = 900;

    public static bool IsValid(string key) =>
        key.Length is > 0 and <= MaxLength && key.All(c => c is > ' ' and <= '~');

    /// <summary>The history entry id the request writes: derived from caller and key, so a retry writes the same entry.</summary>
    public string EntryId(string action, string callerId) =>
        $"{action}:{(IdempotencyKey is null ? Guid.NewGuid().ToString("N") : Hashing.Sha256Hex(callerId, IdempotencyKey)[..32])}";
}

/// <summary>A public reply to the requester; <see cref="ByPhone"/>: the agent said it on the phone, so nothing is sent.</summary>
public sealed record RespondCommand(string TicketNumber, Caller Agent, string Message, ActionKey Key, bool ByPhone = false);

/// <summary>An internal note: for the staff, never sent to the requester, never a response.</summary>
public sealed record AddNoteCommand(string TicketNumber, Caller Author, string Note, ActionKey Key);

public sealed record ReassignCommand(string TicketNumber, Caller Agent, string TeamId, string? AgentId, ActionKey Key);

public sealed record ResolveCommand(string TicketNumber, Caller Agent, string Resolution, ActionKey Key);

/// <summary>
/// Reading a ticket and the agent actions on it, each allowed by <see cref="TicketAccessPolicy"/>. An action is stored
/// first, then signalled to the orchestration; a retried action (same caller, same Idempotency-Key, same request)
/// changes nothing, and the same key with a different request is a conflict.
/// </summary>
public sealed class TicketActions(TicketStore tickets, DirectoryStore directory, TimeProvider timeProvider)
{
    public const int MessageMaxLength = 20_000;

    public async Task<Result<TicketView>> GetAsync(string ticketNumber, Caller caller, CancellationToken cancellationToken = default)
    {
        var orgDirectory = await CurrentDirectoryAsync(cancellationToken);
        return (await ReadableAsync(ticketNumber, caller, cancellationToken))
            .Map(readable => TicketView.Of(readable.Ticket, timeProvider.GetUtcNow(), readable.Visibility, orgDirectory is null ? null : orgDirectory.NameOf));
    }

    /// <summary>A page of a long ticket's older history, filtered like the ticket for the caller.</summary>
    public async Task<Result<TicketHistoryPage>> GetHistoryPageAsync(string ticketNumber, int page, Caller caller,
        CancellationToken cancellationToken = default)
    {
        async Task<Result<TicketHistoryPage>> ReadPageAsync((Ticket Ticket, TicketVisibility Visibility) readable)
        {
            var pages = readable.Ticket.HistoryPages;
            var found = page >= 0 && page < pages ? await tickets.FindHistoryPageAsync(ticketNumber, page, cancellationToken) : null;
            if (found is null)
            {
                return Result.NotFound($"Ticket {ticketNumber} has {pages} pages of older history (0 to {pages - 1}).");
            }

            return readable.Visibility == TicketVisibility.Everything
                ? found
                : found with { Entries = [.. found.Entries.Where(TicketAccessPolicy.IsPublic)] };
        }

        return await (await ReadableAsync(ticketNumber, caller, cancellationToken)).BindAsync(ReadPageAsync);
    }

    /// <summary>
    /// Records a public reply and has it delivered to the requester; only the holding agent or team stops the SLA clock
    /// (see <see cref="FirstResponsePolicy"/>).
    /// </summary>
    public async Task<Result<TicketView>> RespondAsync(RespondCommand command, ITicketWorkflow workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(workflow);
        if (string.IsNullOrWhiteSpace(command.Message) || command.Message.Length > MessageMaxLength)
        {
            return Invalid("message", $"A message of 1 to {MessageMaxLength} characters is required.");
        }

        var orgDirectory = await CurrentDirectoryAsync(cancellationToken);
        var agentId = PersonId(command.Agent, orgDirectory);
        var message = command.Message.Trim();
        var entryId = command.Key.EntryId("respond", agentId);
        var now = timeProvider.GetUtcNow();
        var firstResponse = false;
        var result = await ActAsync(command.TicketNumber, command.Agent, orgDirectory, TicketAction.Respond, entryId,
            command.ByPhone ? [message, "phone"] : [message], (ticket, fingerprint) =>
        {
            var counts = FirstResponsePolicy.Counts(ticket, agentId, orgDirectory, now);
            var responded = ticket.Respond(entryId, agentId, message, counts, now, fingerprint, command.ByPhone ? DeliveryRoute.Phone : null);
            firstResponse = responded.IsSuccess && responded.Value;
            return responded.Map();
        }, cancellationToken);
        if (result.IsSuccess)
        {
            await ConversationFollowUp.DeliverOwedAsync(workflow, result.Value, cancellationToken);
        }

        if (firstResponse)
        {
            await workflow.SignalAsync(command.TicketNumber, new TicketSignal(TicketSignalKind.FirstResponse, agentId, now), cancellationToken);
        }

        return result.Map(ticket => View(ticket, orgDirectory));
    }

    /// <summary>Adds an internal note: anyone who reads the whole ticket may; the requester's side never sees it.</summary>
    public async Task<Result<TicketView>> AddNoteAsync(AddNoteCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (string.IsNullOrWhiteSpace(command.Note) || command.Note.Length > MessageMaxLength)
        {
            return Invalid("note", $"A note of 1 to {MessageMaxLength} characters is required.");
        }

        var orgDirectory = await CurrentDirectoryAsync(cancellationToken);
        var authorId = PersonId(command.Author, orgDirectory);
        var entryId = command.Key.EntryId("note", authorId);
        var note = command.Note.Trim();
        var now = timeProvider.GetUtcNow();
        var result = await ActAsync(command.TicketNumber, command.Author, orgDirectory, TicketAction.AddNote, entryId, [note],
            (ticket, fingerprint) => ticket.AddNote(entryId, authorId, note, now, fingerprint), cancellationToken);
        return result.Map(ticket => View(ticket, orgDirectory));
    }

    public async Task<Result<TicketView>> ReassignAsync(ReassignCommand command, ITicketWorkflow workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(workflow);
        var orgDirectory = await directory.GetCurrentAsync(cancellationToken);
        if (!orgDirectory.IsSuccess)
        {
            return Result.Unavailable(orgDirectory.Errors.ToArray());
        }

        var problem = AssignmentProblem(orgDirectory.Value, command.TeamId, command.AgentId);
        if (problem is not null)
        {
            return Invalid(problem.Value.Field, problem.Value.Message);
        }

        var agentId = PersonId(command.Agent, orgDirectory.Value);
        var entryId = command.Key.EntryId("reassign", agentId);
        var now = timeProvider.GetUtcNow();
        var reassigned = false;
        var result = await ActAsync(command.TicketNumber, command.Agent, orgDirectory.Value, TicketAction.Reassign, entryId,
            [command.TeamId, command.AgentId], (ticket, fingerprint) =>
            {
                var before = ticket.Assignment;
                var outcome = ticket.Reassign(entryId, new Assignment(command.TeamId, command.AgentId), agentId, now, fingerprint);
                reassigned = outcome.IsSuccess && ticket.Assignment != before;
                if (reassigned && orgDirectory.Value.FindTeam(command.TeamId)?.WantsAssignmentMail == true)
                {
                    ticket.OweAssignmentNotice(entryId, agentId, now);
                }

                return outcome;
            }, cancellationToken);
        if (result.IsSuccess)
        {
            await ConversationFollowUp.DeliverOwedAsync(workflow, result.Value, cancellationToken);
        }

        if (reassigned)
        {
            await workflow.SignalAsync(command.TicketNumber, new TicketSignal(TicketSignalKind.Reassigned, agentId, now), cancellationToken);
        }

        return result.Map(ticket => View(ticket, orgDirectory.Value));
    }

    public async Task<Result<TicketView>> ResolveAsync(ResolveCommand command, ITicketWorkflow workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(workflow);
        if (string.IsNullOrWhiteSpace(command.Resolution) || command.Resolution.Length > MessageMaxLength)
        {
            return Invalid("resolution", $"A resolution of 1 to {MessageMaxLength} characters is required.");
        }

        var orgDirectory = await CurrentDirectoryAsync(cancellationToken);
        var agentId = PersonId(command.Agent, orgDirectory);
        var resolution = command.Resolution.Trim();
        var entryId = command.Key.EntryId("resolve", agentId);
        var now = timeProvider.GetUtcNow();
        var result = await ActAsync(command.TicketNumber, command.Agent, orgDirectory, TicketAction.Resolve, entryId, [resolution],
            (ticket, fingerprint) => ticket.Resolve(entryId, agentId, resolution, now, fingerprint), cancellationToken);
        if (result.IsSuccess)
        {
            // Also for a retry: the signal and the delivery are idempotent, and the first attempt may have stopped before them.
            await ConversationFollowUp.DeliverOwedAsync(workflow, result.Value, cancellationToken);
            await workflow.SignalAsync(command.TicketNumber, new TicketSignal(TicketSignalKind.Resolved, agentId, now), cancellationToken);
        }

        return result.Map(ticket => View(ticket, orgDirectory));
    }

    /// <summary>
    /// The steps every action shares: the caller must be allowed to act on the ticket as it is now; a retry of an
    /// applied request changes nothing; then <paramref name="change"/> is applied and stored.
    /// </summary>
    private async Task<Result<Ticket>> ActAsync(string ticketNumber, Caller caller, OrgDirectory? orgDirectory, TicketAction action,
        string entryId, string?[] request, Func<Ticket, string, Result> change, CancellationToken cancellationToken)
    {
        var fingerprint = Hashing.Sha256Hex([action.ToString(), .. request])[..32];
        return await tickets.UpdateAsync(ticketNumber, ticket =>
        {
            var relationships = TicketAccessPolicy.RelationshipOf(ticket, caller, orgDirectory);
            if (!TicketAccessPolicy.Allows(action, relationships))
            {
                return TicketAccessPolicy.Refuse<Ticket>(ticketNumber, caller, relationships, action == TicketAction.AddNote
                    ? $"Only the staff who read the whole ticket may add notes to ticket {ticketNumber}."
                    : $"Only the assigned agent or team, its area or division management, and admins may {action.ToString().ToLowerInvariant()} ticket {ticketNumber}.");
            }

            var replay = ticket.IsReplay(entryId, fingerprint);
            if (!replay.IsSuccess)
            {
                return replay.Map(_ => ticket);
            }

            return replay.Value ? ticket : change(ticket, fingerprint).Map(() => ticket);
        }, cancellationToken);
    }

    private TicketView View(Ticket ticket, OrgDirectory? orgDirectory) =>
        TicketView.Of(ticket, timeProvider.GetUtcNow(), TicketVisibility.Everything, orgDirectory is null ? null : orgDirectory.NameOf);

    /// <summary>The ticket and how much of it the caller sees; NotFound or the caller's refusal otherwise.</summary>
    private async Task<Result<(Ticket Ticket, TicketVisibility Visibility)>> ReadableAsync(string ticketNumber, Caller caller,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var ticket = await tickets.FindAsync(ticketNumber, cancellationToken);
        if (ticket is null)
        {
            return Result.NotFound(TicketAccessPolicy.NotFoundMessage(ticketNumber));
        }

        var relationships = TicketAccessPolicy.RelationshipOf(ticket, caller, await CurrentDirectoryAsync(cancellationToken));
        var visibility = TicketAccessPolicy.Visibility(relationships);
        return visibility == TicketVisibility.None
            ? TicketAccessPolicy.Refuse<(Ticket, TicketVisibility)>(ticketNumber, caller, relationships,
                $"Only the requester's side and the staff involved may read ticket {ticketNumber}.")
            : (ticket, visibility);
    }

    private async Task<OrgDirectory?> CurrentDirectoryAsync(CancellationToken cancellationToken)
    {
        var current = await directory.GetCurrentAsync(cancellationToken);
        return current.IsSuccess ? current.Value : null;
    }

    private static string PersonId(Caller caller, OrgDirectory? orgDirectory) =>
        orgDirectory?.FindCaller(caller.Id, caller.Email)?.Id ?? caller.Id;

    private static (string Field, string Message)? AssignmentProblem(OrgDirectory orgDirectory, string teamId, string? agentId)
    {
        if (orgDirectory.FindTeam(teamId) is null)
        {
            return ("teamId", $"Unknown team '{teamId}'.");
        }

        if (agentId is null)
        {
            return null;
        }

        return orgDirectory.FindPerson(agentId) switch
        {
            null => ("agentId", $"Unknown agent '{agentId}'."),
            { TeamId: { } agentTeam } when agentTeam != teamId => ("agentId", $"Agent '{agentId}' is not in team '{teamId}'."),
            _ => null,
        };
    }

    private static Result<TicketView> Invalid(string field, string message) =>
        Result.Invalid(new ValidationError(field, message, null, ValidationSeverity.Error));
}
