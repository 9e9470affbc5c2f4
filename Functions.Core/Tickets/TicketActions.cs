using Ardalis.Result;
using Escalation.Core.Identity;
using Escalation.Core.Organization;
using Escalation.Core.Storage;
using Escalation.Core.Workflow;

namespace Escalation.Core.Tickets;

public sealed record RespondCommand(string TicketNumber, Caller Agent, string Message, string EntryId);

public sealed record ReassignCommand(string TicketNumber, Caller Agent, string TeamId, string? AgentId, string EntryId);

public sealed record ResolveCommand(string TicketNumber, Caller Agent, string Resolution, string EntryId);

/// <summary>Reading a ticket and the agent actions on it. Each action is stored first, then signalled to the orchestration.</summary>
public sealed class TicketActions(TicketStore tickets, DirectoryStore directory, TimeProvider timeProvider)
{
    public const int MessageMaxLength = 20_000;

    public async Task<Result<TicketView>> GetAsync(string ticketNumber, Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var ticket = await tickets.FindAsync(ticketNumber, cancellationToken);
        if (ticket is null)
        {
            return Result.NotFound($"Ticket {ticketNumber} does not exist.");
        }

        var isRequester = caller.Id == ticket.Requester.PersonId
            || (caller.Email is not null && string.Equals(caller.Email, ticket.Requester.Email, StringComparison.OrdinalIgnoreCase));
        return caller.IsStaff || isRequester
            ? TicketView.Of(ticket, timeProvider.GetUtcNow())
            : Result.Forbidden($"Only the requester and service-desk staff may read ticket {ticketNumber}.");
    }

    /// <summary>Records a response; only the assigned agent or a member or lead of the assigned team stops the SLA clock.</summary>
    public async Task<Result<TicketView>> RespondAsync(RespondCommand command, ITicketWorkflow workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(workflow);
        if (string.IsNullOrWhiteSpace(command.Message) || command.Message.Length > MessageMaxLength)
        {
            return Invalid("message", $"A message of 1 to {MessageMaxLength} characters is required.");
        }

        var current = await directory.GetCurrentAsync(cancellationToken);
        var orgDirectory = current.IsSuccess ? current.Value : null;
        var agentId = orgDirectory?.FindCaller(command.Agent.Id, command.Agent.Email)?.Id ?? command.Agent.Id;
        var firstResponse = false;
        var result = await tickets.UpdateAsync(command.TicketNumber, ticket =>
        {
            var counts = FirstResponsePolicy.Counts(ticket, agentId, orgDirectory);
            var responded = ticket.Respond(command.EntryId, agentId, command.Message.Trim(), counts, timeProvider.GetUtcNow());
            firstResponse = responded.IsSuccess && responded.Value;
            return responded.Map(_ => ticket);
        }, cancellationToken);
        if (firstResponse)
        {
            await workflow.SignalAsync(command.TicketNumber, new TicketSignal(TicketSignalKind.FirstResponse, agentId, timeProvider.GetUtcNow()), cancellationToken);
        }

        return result.Map(ticket => TicketView.Of(ticket, timeProvider.GetUtcNow()));
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

        var result = await tickets.UpdateAsync(command.TicketNumber, ticket =>
            ticket.Reassign(command.EntryId, new Assignment(command.TeamId, command.AgentId), command.Agent.Id, timeProvider.GetUtcNow())
                .Map(() => ticket), cancellationToken);
        if (result.IsSuccess)
        {
            await workflow.SignalAsync(command.TicketNumber, new TicketSignal(TicketSignalKind.Reassigned, command.Agent.Id, timeProvider.GetUtcNow()), cancellationToken);
        }

        return result.Map(ticket => TicketView.Of(ticket, timeProvider.GetUtcNow()));
    }

    public async Task<Result<TicketView>> ResolveAsync(ResolveCommand command, ITicketWorkflow workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(workflow);
        if (string.IsNullOrWhiteSpace(command.Resolution) || command.Resolution.Length > MessageMaxLength)
        {
            return Invalid("resolution", $"A resolution of 1 to {MessageMaxLength} characters is required.");
        }

        var result = await tickets.UpdateAsync(command.TicketNumber, ticket =>
            ticket.Resolve(command.EntryId, command.Agent.Id, command.Resolution.Trim(), timeProvider.GetUtcNow()).Map(() => ticket),
            cancellationToken);
        if (result.IsSuccess)
        {
            await workflow.SignalAsync(command.TicketNumber, new TicketSignal(TicketSignalKind.Resolved, command.Agent.Id, timeProvider.GetUtcNow()), cancellationToken);
        }

        return result.Map(ticket => TicketView.Of(ticket, timeProvider.GetUtcNow()));
    }

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
