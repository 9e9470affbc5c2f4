using Escalation.Core.Conversation;
using Escalation.Core.Identity;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Escalation.Core.Worklist;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Escalation.Functions.Http;

/// <summary>Reading a ticket, the agent actions (reply, internal note, reassign, resolve), and the requester's side: her tickets and replies.</summary>
public sealed class TicketFunctions(
    TicketActions actions, RequesterConversation requesters, TicketWorklist worklist, CallerResolver callers, TicketWorkflows workflows)
{
    /// <summary>
    /// The worklist of the caller's scope by view (staff), or "my tickets" (<c>requester=me</c>, and anyone without a
    /// staff scope), a page at a time.
    /// </summary>
    [Function(nameof(ListTickets))]
    public async Task<IActionResult> ListTickets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tickets")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (callers.Resolve(request) is not { } caller)
        {
            return Problems.Unauthorized(request);
        }

        var query = WorklistParameters.Read(request.Query);
        if (query.Errors.Count > 0)
        {
            return Problems.Create(request, StatusCodes.Status400BadRequest, "Invalid request", "One or more fields are invalid.", query.Errors);
        }

        var scope = query.Mine ? null : await worklist.ScopeAsync(caller, cancellationToken);
        if (scope is { IsSuccess: false })
        {
            return scope.ToActionResult(request);
        }

        return scope?.Value is { } staffScope
            ? (await worklist.GetAsync(query.Request, staffScope, cancellationToken)).ToActionResult(request)
            : (await requesters.MyTicketsAsync(caller, query.Request.Continuation, query.PageSize ?? RequesterConversation.DefaultPageSize, cancellationToken))
                .ToActionResult(request);
    }

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
        ActionAsync<RespondRequest>(request, number, (ticketNumber, agent, body, key) =>
            actions.RespondAsync(new RespondCommand(ticketNumber, agent, body.Message ?? string.Empty, key, body.ByPhone == true),
                workflows.For(durableClient), cancellationToken));

    [Function(nameof(AddTicketNote))]
    public Task<IActionResult> AddTicketNote(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tickets/{number}/notes")] HttpRequest request,
        string number,
        CancellationToken cancellationToken) =>
        ActionAsync<NoteRequest>(request, number, (ticketNumber, author, body, key) =>
            actions.AddNoteAsync(new AddNoteCommand(ticketNumber, author, body.Note ?? string.Empty, key), cancellationToken));

    /// <summary>The requester writes to the desk from the console, like replying to the desk's e-mail.</summary>
    [Function(nameof(ReplyToTicket))]
    public Task<IActionResult> ReplyToTicket(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tickets/{number}/replies")] HttpRequest request,
        string number,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        ActionAsync<ReplyRequest>(request, number, (ticketNumber, requester, body, key) =>
            requesters.ReplyAsync(new RequesterReplyCommand(ticketNumber, requester, body.Message ?? string.Empty, key),
                workflows.For(durableClient), cancellationToken));

    [Function(nameof(ReassignTicket))]
    public Task<IActionResult> ReassignTicket(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tickets/{number}/reassign")] HttpRequest request,
        string number,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        ActionAsync<ReassignRequest>(request, number, (ticketNumber, agent, body, key) =>
            actions.ReassignAsync(new ReassignCommand(ticketNumber, agent, body.TeamId ?? string.Empty, body.AgentId, key),
                workflows.For(durableClient), cancellationToken));

    [Function(nameof(ResolveTicket))]
    public Task<IActionResult> ResolveTicket(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tickets/{number}/resolve")] HttpRequest request,
        string number,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        ActionAsync<ResolveRequest>(request, number, (ticketNumber, agent, body, key) =>
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
    /// The checks every action on a ticket shares: a caller, a well-formed ticket number and Idempotency-Key, a JSON body.
    /// Whether the caller may act on the ticket is decided in Core (<see cref="TicketAccessPolicy"/>).
    /// </summary>
    private async Task<IActionResult> ActionAsync<TBody>(HttpRequest request, string number,
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

/// <summary>A public reply; <see cref="ByPhone"/>: the agent said it on the phone (e.g. a call-back), so nothing is sent.</summary>
public sealed record RespondRequest(string? Message, bool? ByPhone = null);

public sealed record ReplyRequest(string? Message);

public sealed record ReassignRequest(string? TeamId, string? AgentId);

public sealed record ResolveRequest(string? Resolution);
