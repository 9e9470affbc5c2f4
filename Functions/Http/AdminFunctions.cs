using Escalation.Core;
using Escalation.Core.Identity;
using Escalation.Core.Organization;
using Escalation.Core.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Escalation.Functions.Http;

/// <summary>Loading the org directory, health, the API description and the web form.</summary>
public sealed class AdminFunctions(DirectoryStore directory, HealthCheck health, CallerResolver callers)
{
    public const int DirectoryMaxBytes = 20 * 1024 * 1024;

    [Function(nameof(LoadDirectory))]
    public async Task<IActionResult> LoadDirectory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", "post", Route = "directory")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (callers.Resolve(request) is not { } caller)
        {
            return Problems.Unauthorized(request);
        }

        if (!caller.IsInRole(Roles.Admin))
        {
            return Problems.Forbidden(request, Roles.Admin);
        }

        var (document, problem) = await RequestBody.ReadJsonAsync<OrgDirectoryDocument>(request, DirectoryMaxBytes);
        if (document is null)
        {
            return problem!;
        }

        return (await directory.LoadAsync(document, cancellationToken)).ToActionResult(request);
    }

    [Function(nameof(Health))]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(cancellationToken);
        return new JsonResult(report, EscalationJson.Options)
        {
            StatusCode = report.Status == HealthCheck.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK,
        };
    }

    /// <summary>A simple web form for people; it posts to SubmitWebTicket with the signed-in session.</summary>
    [Function(nameof(TicketForm))]
    public static IActionResult TicketForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "portal")] HttpRequest request) =>
        new PhysicalFileResult(Path.Combine(AppContext.BaseDirectory, "portal.html"), "text/html; charset=utf-8");

    [Function(nameof(OpenApiDocument))]
    public static IActionResult OpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.yaml")] HttpRequest request) =>
        new PhysicalFileResult(Path.Combine(AppContext.BaseDirectory, "openapi.yaml"), "application/yaml");
}
