using Escalation.Core.Identity;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Escalation.Functions.Http;

/// <summary>Reading a ticket, and the agent actions: respond, reassign, resolve.</summary>
public sealed class TicketFunctions(TicketActions actions, CallerResolver callers, TicketWorkflows workflows)
{
    [Function(nameof(GetTicket))]
    public Task<IActionResult> GetTicket(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tickets/{number}")] HttpRequest request,
        string number,
        CancellationToken cancellationToken) =>
        ReadAsync(request, number, (ticketNumber, caller) => actions.GetAsync(ticketNumber, caller, cancellationToken));

    [Function(nameof(GetTicketHistoryPage))]
    public Task<IActionResult> GetTicketHistoryPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tickets/{number}/history/{page:int}")] HttpRequest request,
        string number,
        int page,
        CancellationToken cancellationToken) =>
        ReadAsync(request, number, (ticketNumber, caller) => actions.GetHistoryPageAsync(ticketNumber, page, caller, cancellationToken));

    [Function(nameof(RespondToTicket))]
    public Task<IActionResult> RespondToTicket(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tickets/{number}/respond")] HttpRequest request,
        string number,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        AgentActionAsync<RespondRequest>(request, number, (ticketNumber, agent, body, key) =>
            actions.RespondAsync(new RespondCommand(ticketNumber, agent, body.Message ?? string.Empty, key),
                workflows.For(durableClient), cancellationToken));

    [Function(nameof(ReassignTicket))]
    public Task<IActionResult> ReassignTicket(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tickets/{number}/reassign")] HttpRequest request,
        string number,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        AgentActionAsync<ReassignRequest>(request, number, (ticketNumber, agent, body, key) =>
            actions.ReassignAsync(new ReassignCommand(ticketNumber, agent, body.TeamId ?? string.Empty, body.AgentId, key),
                workflows.For(durableClient), cancellationToken));

    [Function(nameof(ResolveTicket))]
    public Task<IActionResult> ResolveTicket(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tickets/{number}/resolve")] HttpRequest request,
        string number,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        AgentActionAsync<ResolveRequest>(request, number, (ticketNumber, agent, body, key) =>
            actions.ResolveAsync(new ResolveCommand(ticketNumber, agent, body.Resolution ?? string.Empty, key),
                workflows.For(durableClient), cancellationToken));

    /// <summary>The checks every read shares: a caller and a well-formed ticket number; what they may see is decided in Core.</summary>
    private async Task<IActionResult> ReadAsync<T>(HttpRequest request, string number, Func<string, Caller, Task<Ardalis.Result.Result<T>>> read)
    {
        if (callers.Resolve(request) is not { } caller)
        {
            return Problems.Unauthorized(request);
        }

        return TicketNumber.TryNormalize(number, out var ticketNumber)
            ? (await read(ticketNumber, caller)).ToActionResult(request)
            : Problems.UnknownTicketNumber(request, number);
    }

    /// <summary>
    /// The checks every agent action shares: a caller, a well-formed ticket number and Idempotency-Key, a JSON body.
    /// Whether the caller may act on the ticket is decided in Core (<see cref="TicketAccessPolicy"/>).
    /// </summary>
    private async Task<IActionResult> AgentActionAsync<TBody>(HttpRequest request, string number,
        Func<string, Caller, TBody, ActionKey, Task<Ardalis.Result.Result<TicketView>>> act)
        where TBody : class
    {
        if (callers.Resolve(request) is not { } caller)
        {
            return Problems.Unauthorized(request);
        }

        if (!TicketNumber.TryNormalize(number, out var ticketNumber))
        {
            return Problems.UnknownTicketNumber(request, number);
        }

        if (RequestBody.ReadActionKey(request, out var key) is { } keyProblem)
        {
            return keyProblem;
        }

        var (body, problem) = await RequestBody.ReadJsonAsync<TBody>(request);
        if (body is null)
        {
            return problem!;
        }

        return (await act(ticketNumber, caller, body, key)).ToActionResult(request);
    }
}

public sealed record RespondRequest(string? Message);

public sealed record ReassignRequest(string? TeamId, string? AgentId);

public sealed record ResolveRequest(string? Resolution);
