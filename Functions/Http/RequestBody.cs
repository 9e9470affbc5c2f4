using System.Text.Json;
using Escalation.Core;
using Escalation.Core.Intake;
using Escalation.Core.Tickets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Escalation.Functions.Http;

/// <summary>Reads request bodies with a size limit; anything else becomes the matching problem (400, 413, 415).</summary>
internal static class RequestBody
{
    public const int DefaultMaxBytes = 64 * 1024;

    public static async Task<(T? Value, IActionResult? Problem)> ReadJsonAsync<T>(HttpRequest request, int maxBytes = DefaultMaxBytes)
        where T : class
    {
        if (!IsJson(request.ContentType))
        {
            return (null, Problems.Create(request, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send the body as application/json."));
        }

        var (body, problem) = await ReadBytesAsync(request, maxBytes);
        return body is null ? (null, problem) : ParseJson<T>(request, body);
    }

    /// <summary>The request's Idempotency-Key as an action key (none: every request is new), or the 400 problem when it is unusable.</summary>
    public static IActionResult? ReadActionKey(HttpRequest request, out ActionKey key)
    {
        var value = request.Headers[WebIntakeFunction.IdempotencyKeyHeader].FirstOrDefault();
        key = new ActionKey(value);
        return value is null || ActionKey.IsValid(value) ? null : Problems.InvalidIdempotencyKey(request);
    }

    /// <summary>
    /// True for <c>application/json</c> and <c>application/*+json</c> only. A missing or other media type is refused, so
    /// a cross-site HTML form (which can only send text/plain, urlencoded or multipart bodies) cannot post JSON.
    /// </summary>
    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && mediaType.MediaType.Value is { } value
        && (value.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (value.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && value.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));

    /// <summary>The raw body (signatures are computed over it), or 413 beyond <paramref name="maxBytes"/>.</summary>
    public static async Task<(byte[]? Body, IActionResult? Problem)> ReadBytesAsync(HttpRequest request, long maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(request, maxBytes));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, TooLarge(request, maxBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), null);
    }

    /// <summary>
    /// The raw body of a signed webhook (see <see cref="WebhookSignature"/>): 413 when too large, 401 when the
    /// signature or its timestamp does not verify against <paramref name="secret"/>.
    /// </summary>
    public static async Task<(byte[]? Body, IActionResult? Problem)> ReadSignedAsync(
        HttpRequest request, long maxBytes, string? secret, TimeSpan tolerance, DateTimeOffset now)
    {
        var (body, problem) = await ReadBytesAsync(request, maxBytes);
        if (body is null)
        {
            return (null, problem);
        }

        var reason = WebhookSignature.Verify(secret, request.Headers[WebhookSignature.SignatureHeader],
            request.Headers[WebhookSignature.TimestampHeader], body, now, tolerance);
        return reason is null
            ? (body, null)
            : (null, Problems.Create(request, StatusCodes.Status401Unauthorized, "Invalid signature", reason));
    }

    public static (T? Value, IActionResult? Problem) ParseJson<T>(HttpRequest request, byte[] body)
        where T : class
    {
        try
        {
            var value = JsonSerializer.Deserialize<T>(body, EscalationJson.Options);
            return value is null
                ? (null, Problems.Create(request, StatusCodes.Status400BadRequest, "Invalid request", "A JSON object is required."))
                : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.Create(request, StatusCodes.Status400BadRequest, "Malformed JSON",
                e.Path is null ? "The body is not valid JSON." : $"The body is not valid JSON or has a wrong type at {e.Path}."));
        }
    }

    private static JsonResult TooLarge(HttpRequest request, long maxBytes) =>
        Problems.Create(request, StatusCodes.Status413PayloadTooLarge, "Payload too large", $"The body may be at most {maxBytes} bytes.");
}
