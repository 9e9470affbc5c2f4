using System.Globalization;
using System.Text.Json;
using Ardalis.Result;

namespace Escalation.Core.Intake;

/// <summary>
/// Reading signed channel webhooks (chat, voicemail): JSON that is malformed or has a wrong type becomes
/// an invalid <see cref="Result{T}"/> naming the field, never an exception.
/// </summary>
internal static class WebhookJson
{
    private const int MaxFieldNameLength = 200;

    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    public static Result<T> Parse<T>(ReadOnlySpan<byte> json)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, EscalationJson.Options) is { } value
                ? value
                : Result<T>.Invalid(Error("body", "A JSON object is required."));
        }
        catch (JsonException e)
        {
            var field = FieldName(e.Path);
            return Result<T>.Invalid(Error(field, field == "body"
                ? "The body is not valid JSON."
                : $"The body is not valid JSON or '{field}' has the wrong type."));
        }
    }

    public static ValidationError Error(string field, string message) => new(field, message, null, ValidationSeverity.Error);

    /// <summary>An ISO 8601 date and time (`2026-11-27T10:00:00Z`, with an offset, or without one meaning UTC).</summary>
    public static bool TryParseTimestamp(string? value, out DateTimeOffset timestamp) =>
        DateTimeOffset.TryParseExact(value?.Trim(), TimestampFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp);

    /// <summary>The first <paramref name="length"/> characters at most, without splitting a surrogate pair.</summary>
    public static string Cut(string value, int length)
    {
        if (value.Length <= length)
        {
            return value;
        }

        return value[..(length > 0 && char.IsHighSurrogate(value[length - 1]) ? length - 1 : length)];
    }

    /// <summary>"$.user.email" → "user.email"; the whole body when the error is not inside a property.</summary>
    private static string FieldName(string? path)
    {
        var field = path is null || path.Length <= 2 || !path.StartsWith("$.", StringComparison.Ordinal) ? "body" : path[2..];
        return Cut(field, MaxFieldNameLength);
    }
}

/// <summary>Collects validation errors by field name.</summary>
internal sealed class FieldErrors
{
    private readonly List<ValidationError> _errors = [];

    public bool Any => _errors.Count > 0;

    /// <summary>Records <paramref name="message"/> for <paramref name="field"/> unless <paramref name="ok"/>; returns <paramref name="ok"/>.</summary>
    public bool Check(bool ok, string field, string message)
    {
        if (!ok)
        {
            _errors.Add(WebhookJson.Error(field, message));
        }

        return ok;
    }

    /// <summary>A required text of at most <paramref name="maxLength"/> characters.</summary>
    public bool Required(string? value, string field, int maxLength) =>
        Check(!string.IsNullOrWhiteSpace(value), field, $"'{field}' is required.")
        && Check(value!.Length <= maxLength, field, $"'{field}' may be at most {maxLength} characters.");

    /// <summary>An optional text of at most <paramref name="maxLength"/> characters.</summary>
    public bool Optional(string? value, string field, int maxLength) =>
        Check((value?.Length ?? 0) <= maxLength, field, $"'{field}' may be at most {maxLength} characters.");

    public Result<T> ToResult<T>() => Result<T>.Invalid(_errors);
}
