using Ardalis.Result;
using Escalation.Core;
using Escalation.Core.Tickets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Escalation.Functions.Http;

/// <summary>RFC 7807 problem details and the mapping from Core's result values to HTTP.</summary>
internal static class Problems
{
    public const string ContentType = "application/problem+json";

    public static JsonResult Create(HttpRequest request, int status, string title, string? detail = null,
        IDictionary<string, string[]>? errors = null)
    {
        var problem = new ProblemDetails
        {
            Type = TypeFor(title),
            Title = title,
            Status = status,
            Detail = detail,
            Instance = request.Path,
        };
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }

        return new JsonResult(problem, EscalationJson.Options) { StatusCode = status, ContentType = ContentType };
    }

    /// <summary>Our own problem type URI, one per kind of problem (its title): e.g. urn:escalation:problem:invalid-request.</summary>
    public static string TypeFor(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var slug = new string(title.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return $"urn:escalation:problem:{slug}";
    }

    public static JsonResult Unauthorized(HttpRequest request) =>
        Create(request, StatusCodes.Status401Unauthorized, "Authentication required",
            "Sign in through the platform's authentication (App Service authentication).");

    /// <summary>401 for the console: how to sign in here (App Service authentication, or the development identity header).</summary>
    public static JsonResult SignInRequired(HttpRequest request, bool developmentIdentity)
    {
        var result = Unauthorized(request);
        var problem = (ProblemDetails)result.Value!;
        problem.Extensions["signIn"] = "/.auth/login/aad";
        problem.Extensions["developmentIdentity"] = developmentIdentity;
        return result;
    }

    public static JsonResult Forbidden(HttpRequest request, string role) =>
        Create(request, StatusCodes.Status403Forbidden, "Forbidden", $"This action needs the '{role}' role.");

    public static JsonResult InvalidIdempotencyKey(HttpRequest request) =>
        Create(request, StatusCodes.Status400BadRequest, "Invalid request", "One or more fields are invalid.",
            new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["Idempotency-Key"] = [$"An Idempotency-Key is 1 to {ActionKey.MaxLength} visible ASCII characters."],
            });

    public static JsonResult UnknownTicketNumber(HttpRequest request, string value) =>
        Create(request, StatusCodes.Status404NotFound, "Ticket not found", $"'{value}' is not a ticket number (expected e.g. SD-1042).");

    /// <summary>Maps a result to 2xx with its value, or to the problem that matches its status.</summary>
    public static IActionResult ToActionResult<T>(this Result<T> result, HttpRequest request, int successStatus = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.IsSuccess)
        {
            return new JsonResult(result.Value, EscalationJson.Options) { StatusCode = successStatus };
        }

        var detail = result.Errors.Any() ? string.Join(" ", result.Errors) : null;
        return result.Status switch
        {
            ResultStatus.Invalid => Create(request, StatusCodes.Status400BadRequest, "Invalid request",
                "One or more fields are invalid.", ValidationErrors(result.ValidationErrors)),
            ResultStatus.NotFound => Create(request, StatusCodes.Status404NotFound, "Not found", detail),
            ResultStatus.Forbidden => Create(request, StatusCodes.Status403Forbidden, "Forbidden", detail),
            ResultStatus.Unauthorized => Unauthorized(request),
            ResultStatus.Conflict => Create(request, StatusCodes.Status409Conflict, "Conflict", detail),
            ResultStatus.Unavailable => Create(request, StatusCodes.Status503ServiceUnavailable, "Service unavailable", detail),
            _ => Create(request, StatusCodes.Status500InternalServerError, "Unexpected error", detail),
        };
    }

    private static Dictionary<string, string[]> ValidationErrors(IEnumerable<ValidationError> errors) =>
        errors
            .GroupBy(e => string.IsNullOrEmpty(e.Identifier) ? "body" : e.Identifier, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray(), StringComparer.Ordinal);
}
