using Escalation.Core.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Escalation.Functions.Http;

/// <summary>
/// Who is calling: the App Service authentication principal, trusted only when the platform says authentication runs
/// in front of the app (otherwise anyone could send the header), or (local development only, when explicitly allowed)
/// the X-Dev-User header.
/// </summary>
public sealed class CallerResolver(IOptions<AuthOptions> options, HostingPlatform platform)
{
    public Caller? Resolve(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var caller = platform.AuthenticationEnabled ? ClientPrincipal.Parse(request.Headers[ClientPrincipal.HeaderName]) : null;
        if (caller is null && options.Value.AllowDevelopmentIdentity)
        {
            caller = DevelopmentIdentity.Parse(request.Headers[DevelopmentIdentity.HeaderName]);
        }

        return caller;
    }
}
