using Escalation.Core.Identity;
using Escalation.Core.Organization;
using Escalation.Core.Reporting;

namespace Escalation.Core.WebConsole;

/// <summary>What the console may show a caller: who they are and which pages and actions to offer.</summary>
/// <param name="Coordinator">Has the coordinator role: the queue's checklist actions.</param>
/// <param name="CoordinatorManager">Manages coordinators: may reassign an escalation to another coordinator.</param>
/// <param name="Agent">Staff who may act on tickets (respond, reassign, resolve) when the ticket allows it.</param>
/// <param name="Queue">May see the open-escalation queue (anyone with a report scope).</param>
/// <param name="Staff">Works at the desk (a staff role or a team in the directory); others get "my tickets" as their home.</param>
/// <param name="Reports">What of the reports the caller may see; null for none (the dashboard is not offered).</param>
public sealed record ConsoleProfile(
    string Id,
    string Name,
    string? Email,
    IReadOnlyList<string> Roles,
    bool InDirectory,
    string? TeamId,
    string? TeamName,
    bool Coordinator,
    bool CoordinatorManager,
    bool Agent,
    bool Queue,
    bool Staff,
    ReportAccess? Reports,
    IReadOnlyList<NamedItem> Teams,
    IReadOnlyList<NamedItem> Coordinators)
{
    /// <summary>Staff only: the agents of every team, for the reassign form's agent picker.</summary>
    public IReadOnlyList<TeamMember> Agents { get; init; } = [];

    public static ConsoleProfile For(Caller caller, OrgDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(directory);
        var document = directory.Document;
        var person = directory.FindCaller(caller.Id, caller.Email);
        var team = directory.FindTeam(person?.TeamId);
        var scope = ReportScope.For(caller, directory);
        var reports = scope is null ? null : new ReportAccess(scope.IsEverything,
            scope.TeamIds?.Order(StringComparer.Ordinal).ToList(), scope.AgentId, scope.SeesRequesters);

        // Staff get the lists the action forms choose from; a requester's profile names nobody else.
        var staff = caller.IsStaff || person?.TeamId is not null;
        IReadOnlyList<NamedItem> teams = staff ? [.. document.Teams.Select(t => new NamedItem(t.Id, t.Name))] : [];
        IReadOnlyList<NamedItem> coordinators = staff
            ? [.. document.Coordinators.Select(c => new NamedItem(c.PersonId, directory.FindPerson(c.PersonId)?.Name ?? c.PersonId))]
            : [];
        return new ConsoleProfile(caller.Id, person?.Name ?? caller.Name, caller.Email ?? person?.Email,
            [.. caller.Roles.Order(StringComparer.Ordinal)], person is not null, team?.Id, team?.Name,
            caller.IsInRole(Identity.Roles.Coordinator),
            document.Coordinators.Exists(c => c.ManagerId == caller.Id),
            caller.IsInRole(Identity.Roles.Agent) || caller.IsInRole(Identity.Roles.Admin) || person?.TeamId is not null,
            scope is not null, staff, reports, teams, coordinators)
        {
            Agents = staff ? [.. document.People.Where(p => p.TeamId is not null).Select(p => new TeamMember(p.Id, p.Name, p.TeamId!))] : [],
        };
    }
}

/// <summary>The caller's report scope (see <see cref="ReportScope"/>): everything, some teams, or their own figures.</summary>
public sealed record ReportAccess(bool Everything, IReadOnlyList<string>? TeamIds, string? AgentId, bool SeesRequesters);

public sealed record NamedItem(string Id, string Name);

public sealed record TeamMember(string Id, string Name, string TeamId);
