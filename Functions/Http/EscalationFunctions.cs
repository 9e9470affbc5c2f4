using Ardalis.Result;
using Escalation.Core.Escalations;
using Escalation.Core.Identity;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Escalation.Functions.Http;

/// <summary>Manager escalation requests and the Escalation Coordinator's actions; the rules live in Core.</summary>
public sealed class EscalationFunctions(
    EscalationRequests requests,
    EscalationActions actions,
    CallerResolver callers,
    TicketWorkflows ticketWorkflows,
    EscalationWorkflows escalationWorkflows)
{
    private const string EscalationRoute = "tickets/{number}/escalations/{escalationId}";

    [Function(nameof(RequestEscalation))]
    public Task<IActionResult> RequestEscalation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tickets/{number}/escalations")] HttpRequest request,
        string number,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        RequestAsync(request, number, durableClient, cancellationToken);

    /// <summary>The same request without a ticket in the route: the body's ticketNumber, or the "submit a ticket first" answer.</summary>
    [Function(nameof(RequestEscalationByNumber))]
    public Task<IActionResult> RequestEscalationByNumber(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "escalations")] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        RequestAsync(request, null, durableClient, cancellationToken);

    [Function(nameof(GetEscalation))]
    public async Task<IActionResult> GetEscalation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = EscalationRoute)] HttpRequest request,
        string number,
        string escalationId,
        CancellationToken cancellationToken)
    {
        if (callers.Resolve(request) is not { } caller)
        {
            return Problems.Unauthorized(request);
        }

        return TicketNumber.TryNormalize(number, out var ticketNumber)
            ? (await actions.GetAsync(ticketNumber, escalationId, caller, cancellationToken)).ToActionResult(request)
            : Problems.UnknownTicketNumber(request, number);
    }

    [Function(nameof(AcknowledgeEscalation))]
    public Task<IActionResult> AcknowledgeEscalation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = EscalationRoute + "/acknowledge")] HttpRequest request,
        string number, string escalationId, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        ActAsync<NoteRequest>(request, number, escalationId, (command, _) =>
            actions.AcknowledgeAsync(command, escalationWorkflows.For(durableClient), cancellationToken), allowEmptyBody: true);

    [Function(nameof(CompleteEscalationStep))]
    public Task<IActionResult> CompleteEscalationStep(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = EscalationRoute + "/steps/{step}")] HttpRequest request,
        string number, string escalationId, string step, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        ActAsync<NoteRequest>(request, number, escalationId, (command, body) =>
            actions.CompleteStepAsync(command, int.TryParse(step, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0, body.Note, escalationWorkflows.For(durableClient), cancellationToken), allowEmptyBody: true);

    [Function(nameof(WaiveEscalationStep))]
    public Task<IActionResult> WaiveEscalationStep(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = EscalationRoute + "/waive")] HttpRequest request,
        string number, string escalationId, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        ActAsync<WaiveRequest>(request, number, escalationId, (command, body) =>
            actions.WaiveAsync(command, body.Step ?? 0, body.Reason, escalationWorkflows.For(durableClient), cancellationToken));

    [Function(nameof(SendEscalationEta))]
    public Task<IActionResult> SendEscalationEta(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = EscalationRoute + "/eta")] HttpRequest request,
        string number, string escalationId, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        ActAsync<EtaRequest>(request, number, escalationId, (command, body) =>
            actions.SendEtaAsync(command, body.ResolveBy, body.Message, escalationWorkflows.For(durableClient), cancellationToken));

    [Function(nameof(CloseEscalation))]
    public Task<IActionResult> CloseEscalation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = EscalationRoute + "/close")] HttpRequest request,
        string number, string escalationId, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        ActAsync<NoteRequest>(request, number, escalationId, (command, body) =>
            actions.CloseAsync(command, body.Note, escalationWorkflows.For(durableClient), ticketWorkflows.For(durableClient), cancellationToken),
            allowEmptyBody: true);

    [Function(nameof(ReassignEscalation))]
    public Task<IActionResult> ReassignEscalation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = EscalationRoute + "/reassign")] HttpRequest request,
        string number, string escalationId, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        ActAsync<ReassignEscalationRequest>(request, number, escalationId, (command, body) =>
            actions.ReassignAsync(command, body.CoordinatorId, body.Reason, escalationWorkflows.For(durableClient), cancellationToken),
            allowEmptyBody: true, coordinatorsOnly: false);

    private async Task<IActionResult> RequestAsync(HttpRequest request, string? number, DurableTaskClient durableClient, CancellationToken cancellationToken)
    {
        if (callers.Resolve(request) is not { } caller)
        {
            return Problems.Unauthorized(request);
        }

        if (RequestBody.ReadActionKey(request, out var key) is { } keyProblem)
        {
            return keyProblem;
        }

        var (body, problem) = await RequestBody.ReadJsonAsync<EscalationRequestBody>(request);
        if (body is null)
        {
            return problem!;
        }

        var given = number ?? body.TicketNumber;
        var ticketNumber = TicketNumber.TryNormalize(given ?? string.Empty, out var normalized) ? normalized : given;
        var command = new EscalationRequestCommand(string.IsNullOrWhiteSpace(ticketNumber) ? null : ticketNumber, caller, body.Justification,
            body.SlaReviewed, body.Channel ?? EscalationChannel.Web, key, body.RequesterId);
        if (command.Channel == EscalationChannel.Email)
        {
            return Problems.Create(request, StatusCodes.Status400BadRequest, "Invalid request", "One or more fields are invalid.",
                new Dictionary<string, string[]>(StringComparer.Ordinal) { ["channel"] = ["E-mail requests arrive through the coordinators' address."] });
        }

        var result = await requests.RequestAsync(command, ticketWorkflows.For(durableClient), cancellationToken);
        if (result.Status == ResultStatus.NotFound)
        {
            return Problems.Create(request, command.TicketNumber is null ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound,
                "Submit a ticket first", string.Join(" ", result.Errors));
        }

        if (result.IsSuccess && result.Value.Created)
        {
            request.HttpContext.Response.Headers.Location = $"/api/tickets/{result.Value.TicketNumber}/escalations/{result.Value.Escalation.Id}";
        }

        return result.ToActionResult(request, result.IsSuccess && result.Value.Created ? StatusCodes.Status202Accepted : StatusCodes.Status200OK);
    }

    /// <summary>The checks every coordinator action shares: a caller, a ticket number, a well-formed Idempotency-Key, a JSON body.</summary>
    private async Task<IActionResult> ActAsync<TBody>(HttpRequest request, string number, string escalationId,
        Func<CoordinatorCommand, TBody, Task<Result<EscalationView>>> act, bool allowEmptyBody = false, bool coordinatorsOnly = true)
        where TBody : class, new()
    {
        if (callers.Resolve(request) is not { } caller)
        {
            return Problems.Unauthorized(request);
        }

        // Reassignment is also open to the coordinator's manager; Core decides who exactly may.
        if (coordinatorsOnly && !caller.IsInRole(Roles.Coordinator))
        {
            return Problems.Forbidden(request, Roles.Coordinator);
        }

        if (!TicketNumber.TryNormalize(number, out var ticketNumber))
        {
            return Problems.UnknownTicketNumber(request, number);
        }

        if (RequestBody.ReadActionKey(request, out var key) is { } keyProblem)
        {
            return keyProblem;
        }

        var body = new TBody();
        if (!allowEmptyBody || request.ContentLength is not (null or 0))
        {
            (var parsed, var problem) = await RequestBody.ReadJsonAsync<TBody>(request);
            if (parsed is null)
            {
                return problem!;
            }

            body = parsed;
        }

        var command = new CoordinatorCommand(ticketNumber, escalationId, caller, key);
        return (await act(command, body)).ToActionResult(request);
    }
}

public sealed record EscalationRequestBody(string? TicketNumber, string? Justification, bool? SlaReviewed, EscalationChannel? Channel,
    string? RequesterId);

public sealed record NoteRequest
{
    public string? Note { get; init; }
}

public sealed record WaiveRequest
{
    public int? Step { get; init; }

    public string? Reason { get; init; }
}

public sealed record EtaRequest
{
    public DateTimeOffset? ResolveBy { get; init; }

    public string? Message { get; init; }
}

public sealed record ReassignEscalationRequest
{
    public string? CoordinatorId { get; init; }

    public string? Reason { get; init; }
}
