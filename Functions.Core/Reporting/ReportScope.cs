using Escalation.Core.Identity;
using Escalation.Core.Organization;

namespace Escalation.Core.Reporting;

/// <summary>
/// What part of the reports a person may see: everything; the teams of the areas, divisions or teams they manage or
/// lead; or, for an agent, their own figures. Requester figures are for managers, not for agents.
/// </summary>
public sealed record ReportScope
{
    private ReportScope(IReadOnlySet<string>? teamIds, string? agentId)
    {
        TeamIds = teamIds;
        AgentId = agentId;
    }

    public static ReportScope Everything { get; } = new(null, null);

    /// <summary>The teams whose figures are visible; null for every team.</summary>
    public IReadOnlySet<string>? TeamIds { get; }

    /// <summary>Set when only this agent's own figures are visible.</summary>
    public string? AgentId { get; }

    public bool IsEverything => TeamIds is null && AgentId is null;

    public bool SeesRequesters => AgentId is null;

    public static ReportScope ForTeams(IEnumerable<string> teamIds) =>
        new(teamIds.ToHashSet(StringComparer.Ordinal), null);

    public static ReportScope ForAgent(string agentId) => new(null, agentId);

    public bool Includes(string teamId, string? agentId) =>
        AgentId is not null ? agentId == AgentId : TeamIds is null || TeamIds.Contains(teamId);

    /// <summary>The scope of <paramref name="caller"/>, or null when they may see no report at all (403).</summary>
    public static ReportScope? For(Caller caller, OrgDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(directory);
        var document = directory.Document;
        if (caller.IsInRole(Roles.Admin) || caller.IsInRole(Roles.Coordinator) || document.CioId == caller.Id
            || document.Coordinators.Exists(c => c.PersonId == caller.Id))
        {
            return Everything;
        }

        return ManagedTeams(caller.Id, directory) is { Count: > 0 } teams ? ForTeams(teams)
            : caller.IsInRole(Roles.Agent) || directory.FindPerson(caller.Id)?.TeamId is not null ? ForAgent(caller.Id)
            : null;
    }

    /// <summary>The teams a person answers for: of the areas they manage or lead, the divisions they manage, the teams they lead.</summary>
    public static IReadOnlyList<string> ManagedTeams(string personId, OrgDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var document = directory.Document;
        var areas = document.ItAreas
            .Where(a => a.ManagerId == personId || (a.LeadIds ?? []).Contains(personId))
            .Select(a => a.Id)
            .ToHashSet(StringComparer.Ordinal);
        var divisions = document.Divisions.Where(d => d.ManagerIds.Contains(personId)).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        return document.Teams
            .Where(t => t.LeadId == personId
                || (t.AreaId is not null && areas.Contains(t.AreaId))
                || (t.DivisionId is not null && divisions.Contains(t.DivisionId)))
            .Select(t => t.Id)
            .ToList();
    }
}
