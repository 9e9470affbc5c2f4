namespace Escalation.Core.Identity;

/// <summary>App roles the code checks; they are defined on the Entra ID app registration (see README).</summary>
public static class Roles
{
    public const string Agent = "agent";
    public const string Manager = "manager";
    public const string Coordinator = "coordinator";
    public const string Admin = "admin";

    public static readonly IReadOnlySet<string> Staff = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Agent, Manager, Coordinator, Admin };
}

/// <summary>The authenticated person calling an endpoint. <see cref="Id"/> matches a directory person id.</summary>
public sealed record Caller(string Id, string Name, string? Email, IReadOnlySet<string> Roles)
{
    public bool IsInRole(string role) => Roles.Contains(role);

    public bool IsStaff => Roles.Overlaps(Identity.Roles.Staff);
}
