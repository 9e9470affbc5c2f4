using Ardalis.Result;
using Escalation.Core;
using Escalation.Core.Identity;
using Escalation.Core.Reporting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Escalation.Functions.Http;

/// <summary>SLA compliance and escalation-requester reports (JSON, or CSV with format=csv), their drill-downs, and the rebuild.</summary>
public sealed class ReportFunctions(ReportQueries reports, ReportProjection projection, CallerResolver callers)
{
    [Function(nameof(GetSlaReport))]
    public Task<IActionResult> GetSlaReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports/sla")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ReadAsync(request, (caller, query) => reports.SlaAsync(caller, query["from"], query["to"], query["groupBy"], cancellationToken),
            ReportCsv.Sla, "sla-compliance");

    [Function(nameof(GetSlaReportTickets))]
    public Task<IActionResult> GetSlaReportTickets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports/sla/tickets")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ReadAsync(request, (caller, query) =>
            reports.SlaTicketsAsync(caller, query["from"], query["to"], query["groupBy"], query["key"], query["figure"], cancellationToken));

    [Function(nameof(GetAtRiskTickets))]
    public Task<IActionResult> GetAtRiskTickets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports/at-risk")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ReadAsync(request, (caller, _) => reports.AtRiskAsync(caller, cancellationToken));

    [Function(nameof(GetEscalationRequesterReport))]
    public Task<IActionResult> GetEscalationRequesterReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports/escalation-requesters")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ReadAsync(request, (caller, query) => reports.RequestersAsync(caller, query["from"], query["to"], cancellationToken),
            ReportCsv.Requesters, "escalation-requesters");

    [Function(nameof(GetRequestedEscalations))]
    public Task<IActionResult> GetRequestedEscalations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports/escalation-requesters/{requesterId}")] HttpRequest request,
        string requesterId,
        CancellationToken cancellationToken) =>
        ReadAsync(request, (caller, query) => reports.RequestedByAsync(caller, requesterId, query["from"], query["to"], cancellationToken));

    /// <summary>Recomputes the read model from the ticket documents (admins; e.g. after a change of how figures are counted).</summary>
    [Function(nameof(RebuildReports))]
    public async Task<IActionResult> RebuildReports(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reports/rebuild")] HttpRequest request,
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

        if (await projection.RebuildAsync(cancellationToken) is not { } rebuilt)
        {
            request.HttpContext.Response.Headers.RetryAfter = "30";
            return Problems.Create(request, StatusCodes.Status409Conflict, "Conflict",
                "The reporting projection is running; try the rebuild again in a moment.");
        }

        return new JsonResult(rebuilt, EscalationJson.Options);
    }

    private async Task<IActionResult> ReadAsync<T>(HttpRequest request, Func<Caller, IQueryCollection, Task<Result<T>>> read,
        Func<T, string>? csv = null, string? fileName = null)
    {
        if (callers.Resolve(request) is not { } caller)
        {
            return Problems.Unauthorized(request);
        }

        var format = request.Query["format"].ToString();
        if (format.Length > 0 && !(csv is not null && format == "csv") && format != "json")
        {
            return Problems.Create(request, StatusCodes.Status400BadRequest, "Invalid request", "One or more fields are invalid.",
                new Dictionary<string, string[]>(StringComparer.Ordinal) { ["format"] = [csv is null ? "format is json." : "format is json or csv."] });
        }

        var result = await read(caller, request.Query);
        if (result.IsSuccess && format == "csv")
        {
            request.HttpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}.csv\"";
            return new ContentResult { Content = csv!(result.Value), ContentType = "text/csv; charset=utf-8", StatusCode = StatusCodes.Status200OK };
        }

        return result.ToActionResult(request);
    }
}
