using Escalation.Core.Identity;
using Escalation.Core.Tickets;
using Escalation.Core.WebConsole;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Escalation.Functions.Http;

/// <summary>The browser console: its static files, and the reads only it needs (who am I, the escalation queue, SLA clock).</summary>
public sealed class ConsoleFunctions(ConsoleQueries queries, CallerResolver callers, IOptions<AuthOptions> auth)
{
    private const string PageSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    [Function(nameof(GetMe))]
    public async Task<IActionResult> GetMe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (callers.Resolve(request) is not { } caller)
        {
            return Problems.SignInRequired(request, auth.Value.AllowDevelopmentIdentity);
        }

        return (await queries.ProfileAsync(caller, cancellationToken)).ToActionResult(request);
    }

    [Function(nameof(GetEscalationQueue))]
    public async Task<IActionResult> GetEscalationQueue(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "escalation-queue")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (callers.Resolve(request) is not { } caller)
        {
            return Problems.Unauthorized(request);
        }

        return (await queries.QueueAsync(caller, cancellationToken)).ToActionResult(request);
    }

    [Function(nameof(GetTicketConsole))]
    public async Task<IActionResult> GetTicketConsole(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tickets/{number}/console")] HttpRequest request,
        string number,
        CancellationToken cancellationToken)
    {
        if (callers.Resolve(request) is not { } caller)
        {
            return Problems.Unauthorized(request);
        }

        return TicketNumber.TryNormalize(number, out var ticketNumber)
            ? (await queries.TicketAsync(ticketNumber, caller, cancellationToken)).ToActionResult(request)
            : Problems.UnknownTicketNumber(request, number);
    }

    [Function(nameof(ConsolePage))]
    public static IActionResult ConsolePage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console")] HttpRequest request) =>
        Serve(request, ConsoleAssets.IndexFile);

    [Function(nameof(ConsoleFile))]
    public static IActionResult ConsoleFile(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/{file}")] HttpRequest request,
        string file) =>
        Serve(request, file);

    /// <summary>A console file with its type, caching and ETag (answered 304 when unchanged); 404 problem for anything else.</summary>
    private static IActionResult Serve(HttpRequest request, string file)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ConsoleAssets.Find(AppContext.BaseDirectory, file) is not { } asset)
        {
            return Problems.Create(request, StatusCodes.Status404NotFound, "Not found", "The console has no such file.");
        }

        var info = new FileInfo(asset.Path);
        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = asset.CacheControl;
        headers.XContentTypeOptions = "nosniff";
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            headers.ContentSecurityPolicy = PageSecurityPolicy;
            headers["Referrer-Policy"] = "same-origin";
        }

        return new PhysicalFileResult(asset.Path, asset.ContentType)
        {
            LastModified = info.LastWriteTimeUtc,
            EntityTag = new EntityTagHeaderValue($"\"{info.LastWriteTimeUtc.Ticks:x}-{info.Length:x}\""),
        };
    }
}
