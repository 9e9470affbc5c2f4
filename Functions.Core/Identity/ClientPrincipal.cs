using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Escalation.Core.Identity;

/// <summary>
/// Reads the principal that App Service authentication puts in the X-MS-CLIENT-PRINCIPAL header (base64 JSON with
/// claims). The platform strips that header from incoming requests, so in Azure it cannot be forged by callers.
/// </summary>
public static class ClientPrincipal
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";

    private static readonly string[] IdClaims =
        ["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid", "preferred_username", "sub"];

    private static readonly string[] EmailClaims =
        ["preferred_username", "email", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "upn"];

    private static readonly string[] NameClaims = ["name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"];

    /// <summary>Null when the header is missing or not a valid principal.</summary>
    public static Caller? Parse(string? headerValue)
    {
        if (string.IsNullOrWhiteSpace(headerValue))
        {
            return null;
        }

        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<Payload>(Encoding.UTF8.GetString(Convert.FromBase64String(headerValue.Trim())));
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException)
        {
            return null;
        }

        var claims = payload?.Claims?.Where(c => c.Type is not null && c.Value is not null).ToList() ?? [];
        string? First(IEnumerable<string> types) =>
            types.Select(t => claims.Find(c => string.Equals(c.Type, t, StringComparison.OrdinalIgnoreCase))?.Value)
                .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

        var id = First(IdClaims);
        if (id is null)
        {
            return null;
        }

        var roleType = payload!.RoleType ?? "roles";
        var roles = claims
            .Where(c => string.Equals(c.Type, roleType, StringComparison.OrdinalIgnoreCase) || c.Type == "roles")
            .Select(c => c.Value!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new Caller(id, First(NameClaims) ?? id, First(EmailClaims), roles);
    }

    /// <summary>Builds a header value (tests and local tooling).</summary>
    public static string Encode(string id, string name, string? email, params string[] roles)
    {
        var claims = new List<Claim> { new("oid", id), new("name", name) };
        if (email is not null)
        {
            claims.Add(new Claim("preferred_username", email));
        }

        claims.AddRange(roles.Select(r => new Claim("roles", r)));
        var payload = new Payload("aad", claims, "name", "roles");
        return Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(payload));
    }

    private sealed record Payload(
        [property: JsonPropertyName("auth_typ")] string? AuthType,
        [property: JsonPropertyName("claims")] List<Claim>? Claims,
        [property: JsonPropertyName("name_typ")] string? NameType,
        [property: JsonPropertyName("role_typ")] string? RoleType);

    private sealed record Claim(
        [property: JsonPropertyName("typ")] string? Type,
        [property: JsonPropertyName("val")] string? Value);
}
