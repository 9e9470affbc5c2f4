using System.Text.Json;
using Escalation.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Escalation.Functions.Http;

/// <summary>Reads a JSON body with a size limit; anything else becomes the matching problem (400, 413, 415).</summary>
internal static class RequestBody
{
    public const int DefaultMaxBytes = 64 * 1024;

    public static async Task<(T? Value, IActionResult? Problem)> ReadJsonAsync<T>(HttpRequest request, int maxBytes = DefaultMaxBytes)
        where T : class
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(request, maxBytes));
        }

        if (request.ContentType is { } contentType && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Create(request, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send the body as application/json."));
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

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), EscalationJson.Options);
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

    private static JsonResult TooLarge(HttpRequest request, int maxBytes) =>
        Problems.Create(request, StatusCodes.Status413PayloadTooLarge, "Payload too large", $"The body may be at most {maxBytes} bytes.");
}
