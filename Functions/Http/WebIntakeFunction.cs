using Escalation.Core.Identity;
using Escalation.Core.Intake;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Escalation.Functions.Http;

/// <summary>The web channel: an authenticated person submits a ticket as JSON.</summary>
public sealed class WebIntakeFunction(IntakePipeline intake, CallerResolver callers, TicketWorkflows workflows)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    [Function(nameof(SubmitWebTicket))]
    public async Task<IActionResult> SubmitWebTicket(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tickets")] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        if (callers.Resolve(request) is not { } caller)
        {
            return Problems.Unauthorized(request);
        }

        var (body, problem) = await RequestBody.ReadJsonAsync<WebTicketRequest>(request);
        if (body is null)
        {
            return problem!;
        }

        var message = body.ToIntakeMessage(caller, request.Headers[IdempotencyKeyHeader].FirstOrDefault());
        var result = await intake.SubmitAsync(message, workflows.For(durableClient), cancellationToken);
        if (result.IsSuccess)
        {
            request.HttpContext.Response.Headers.Location = $"/api/tickets/{result.Value.TicketNumber}";
        }

        return result.ToActionResult(request, result.IsSuccess && result.Value.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }
}

public sealed record WebTicketRequest(string? Subject, string? Description, string? Category, Priority? Priority, string? ClientRequestId)
{
    /// <summary>
    /// The delivery key is the Idempotency-Key header or the body's clientRequestId, scoped to the caller so that two
    /// people can never collide; without either, every request is a new ticket.
    /// </summary>
    public IntakeMessage ToIntakeMessage(Caller caller, string? idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var key = idempotencyKey ?? ClientRequestId ?? Guid.NewGuid().ToString("N");
        return new IntakeMessage(Channel.Web, $"{caller.Id}:{key}", new RequesterClaim(caller.Id, caller.Name, caller.Email, AccountId: caller.Id),
            Subject ?? string.Empty, Description ?? string.Empty, Category, Priority ?? Core.Tickets.Priority.Normal);
    }
}
