using Microsoft.Extensions.Configuration;

namespace Escalation.Core.Identity;

/// <summary>
/// What App Service tells the app about where it runs, from the settings the platform itself sets: whether this is App
/// Service (<c>WEBSITE_INSTANCE_ID</c> or <c>WEBSITE_SITE_NAME</c>), and whether App Service authentication runs in front
/// of the app (<c>WEBSITE_AUTH_ENABLED=True</c>), which is what makes <c>X-MS-CLIENT-PRINCIPAL</c> trustworthy.
/// </summary>
public sealed record HostingPlatform(bool RunsOnAppService, bool AuthenticationEnabled)
{
    public static HostingPlatform From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new HostingPlatform(
            !string.IsNullOrEmpty(configuration["WEBSITE_INSTANCE_ID"]) || !string.IsNullOrEmpty(configuration["WEBSITE_SITE_NAME"]),
            string.Equals(configuration["WEBSITE_AUTH_ENABLED"], "True", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>How people are identified here, for the health report.</summary>
    public string Describe(AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (AuthenticationEnabled, options.AllowDevelopmentIdentity) switch
        {
            (true, _) => "app service authentication",
            (false, true) => "development identity header (X-Dev-User) only: App Service authentication is off",
            (false, false) => "off: WEBSITE_AUTH_ENABLED is not True, so X-MS-CLIENT-PRINCIPAL is not trusted and people's endpoints answer 401",
        };
    }
}
