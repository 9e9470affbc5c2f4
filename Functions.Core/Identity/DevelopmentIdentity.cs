namespace Escalation.Core.Identity;

/// <summary>The local-development stand-in for App Service authentication, honoured only when <see cref="AuthOptions.AllowDevelopmentIdentity"/> is on.</summary>
public static class DevelopmentIdentity
{
    public const string HeaderName = "X-Dev-User";

    /// <summary>Parses "id;Name;email;role1,role2" (name, email and roles optional); null when malformed.</summary>
    public static Caller? Parse(string? headerValue)
    {
        if (string.IsNullOrWhiteSpace(headerValue))
        {
            return null;
        }

        var parts = headerValue.Split(';', StringSplitOptions.TrimEntries);
        if (parts.Length > 4 || string.IsNullOrEmpty(parts[0]))
        {
            return null;
        }

        string? Part(int i) => parts.Length > i && parts[i].Length > 0 ? parts[i] : null;
        var roles = (Part(3) ?? string.Empty)
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new Caller(parts[0], Part(1) ?? parts[0], Part(2), roles);
    }
}
