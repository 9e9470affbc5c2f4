namespace Escalation.Core.Identity;

/// <summary>Authentication of people (configuration section "Auth").</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// LOCAL DEVELOPMENT ONLY: also accept the "X-Dev-User" header ("id;Name;email;role1,role2"), since there is no
    /// App Service authentication in front of `func start`. Start-up fails if it is set outside the Development environment.
    /// </summary>
    public bool AllowDevelopmentIdentity { get; set; }
}
