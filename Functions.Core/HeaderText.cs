using System.Text;

namespace Escalation.Core;

/// <summary>
/// Values that end up in mail headers (subjects, display names, content types, file names) come from outside and
/// must stay one line: a CR/LF in a subject would otherwise become a header of its own ("Bcc: ...").
/// </summary>
public static class HeaderText
{
    /// <summary>RFC 5322's limit for a header line, the default cap.</summary>
    public const int MaxLength = 998;

    public const string DefaultMediaType = "application/octet-stream";

    /// <summary>
    /// Each run of CR, LF, other control characters, Unicode line/paragraph separators and white space becomes one
    /// space; the result is trimmed and cut (never inside a surrogate pair) to <paramref name="maxLength"/>.
    /// </summary>
    public static string Normalise(string? value, int maxLength = MaxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var text = new StringBuilder(Math.Min(value.Length, maxLength + 1));
        var space = false;
        foreach (var c in value)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c is '\u2028' or '\u2029')
            {
                space = text.Length > 0;
                continue;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(c);
            if (text.Length > maxLength)
            {
                break;
            }
        }

        return Intake.WebhookJson.Cut(text.ToString(), maxLength).TrimEnd();
    }

    /// <summary><see cref="Normalise"/>, or null when nothing is left.</summary>
    public static string? NormaliseOptional(string? value, int maxLength = MaxLength) =>
        Normalise(value, maxLength) is { Length: > 0 } text ? text : null;

    /// <summary>
    /// A content type as a bare `type/subtype` in lower case when it is one (RFC 2045 tokens, ASCII only), else
    /// <see cref="DefaultMediaType"/>; parameters are dropped.
    /// </summary>
    public static string MediaType(string? value)
    {
        var essence = (value ?? string.Empty).Split(';', 2)[0].Trim();
        var slash = essence.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < essence.Length - 1 && essence.Length <= 255
            && IsToken(essence.AsSpan(0, slash)) && IsToken(essence.AsSpan(slash + 1))
                ? essence.ToLowerInvariant()
                : DefaultMediaType;
    }

    private static bool IsToken(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is <= ' ' or >= '\u007f' || "()<>@,;:\\\"/[]?=".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
