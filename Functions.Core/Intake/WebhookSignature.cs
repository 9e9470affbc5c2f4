using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Escalation.Core.Intake;

/// <summary>
/// HMAC-SHA256 webhook signatures: the sender signs "{timestamp}.{raw body}" with the shared secret and sends
/// `X-Signature-Timestamp: {unix seconds}` and `X-Signature: sha256={hex}`. A timestamp outside the tolerance is a
/// replay. Comparison is constant-time.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Signature";
    public const string TimestampHeader = "X-Signature-Timestamp";
    private const string Scheme = "sha256=";

    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Scheme + Convert.ToHexStringLower(Compute(secret, unixSeconds.ToString(CultureInfo.InvariantCulture), body));
    }

    /// <summary>Null when the signature is valid; otherwise why not (for the 401 problem).</summary>
    public static string? Verify(string? secret, string? signature, string? timestamp, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!IsConfigured(secret))
        {
            return "This webhook has no signing secret configured.";
        }

        if (string.IsNullOrWhiteSpace(signature) || string.IsNullOrWhiteSpace(timestamp))
        {
            return $"The {SignatureHeader} and {TimestampHeader} headers are required.";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return "The signature timestamp is missing, malformed or too old.";
        }

        var given = signature.Trim();
        if (!given.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return $"The signature must start with '{Scheme}'.";
        }

        byte[] givenBytes;
        try
        {
            givenBytes = Convert.FromHexString(given.AsSpan(Scheme.Length));
        }
        catch (FormatException)
        {
            return "The signature is not hexadecimal.";
        }

        var expected = Compute(secret!, timestamp, body);
        return CryptographicOperations.FixedTimeEquals(expected, givenBytes) ? null : "The signature does not match.";
    }

    /// <summary>Constant-time comparison of a presented shared secret with the configured one.</summary>
    public static bool SecretMatches(string? configured, string? presented) =>
        IsConfigured(configured) && presented is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(configured), Encoding.UTF8.GetBytes(presented));

    /// <summary>
    /// False for an empty secret and for a Key Vault reference that App Service could not resolve: then the setting's
    /// value is the reference text itself, which is public knowledge and must never authenticate anything.
    /// </summary>
    public static bool IsConfigured([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? secret) =>
        !string.IsNullOrEmpty(secret) && !secret.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase);

    private static byte[] Compute(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }
}
