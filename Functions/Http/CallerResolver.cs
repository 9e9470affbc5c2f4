using Escalation.Core.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Escalation.Functions.Http;

/// <summary>
/// Who is calling: the App Service authentication principal, or (local development only, when explicitly allowed)
/// the X-Dev-User header.
/// </summary>
public sealed class CallerResolver(IOptions<AuthOptions> options)
{
    public Caller? Resolve(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var caller = ClientPrincipal.Parse(request.Headers[ClientPrincipal.HeaderName]);
        if (caller is null && options.Value.AllowDevelopmentIdentity)
        {
            caller = DevelopmentIdentity.Parse(request.Headers[DevelopmentIdentity.HeaderName]);
        }

        return caller;
    }
}
