using System.Text;

namespace Escalation.Core.Storage;

/// <summary>Cosmos DB's continuation tokens are JSON; in a URL they travel as base64url, and a token from elsewhere is refused.</summary>
public static class ContinuationToken
{
    private const int MaxLength = 8_000;

    /// <summary>The answer to a token this app did not give out (or that the store refuses).</summary>
    public static Ardalis.Result.ValidationError Invalid { get; } = new("continuation", "The continuation token is not one this list gave out.", null,
        Ardalis.Result.ValidationSeverity.Error);

    public static string Encode(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(token)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static bool TryDecode(string? encoded, out string? token)
    {
        token = null;
        if (encoded is null)
        {
            return true;
        }

        if (encoded.Length is 0 or > MaxLength)
        {
            return false;
        }

        var base64 = encoded.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var length))
        {
            return false;
        }

        token = Encoding.UTF8.GetString(bytes, 0, length);
        return true;
    }
}
