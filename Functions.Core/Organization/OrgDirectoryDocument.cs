namespace Escalation.Core.Organization;

/// <summary>
/// The org directory as ops load it (JSON through the admin endpoint). Validated by <see cref="OrgDirectory.Create"/>
/// before anything is stored. Nothing about a real organisation is hard-coded; this is all data.
/// </summary>
public sealed record OrgDirectoryDocument
{
    public string? CioId { get; init; }

    public List<PersonRecord> People { get; init; } = [];

    public List<ItAreaRecord> ItAreas { get; init; } = [];

    public List<DivisionRecord> Divisions { get; init; } = [];

    public List<TeamRecord> Teams { get; init; } = [];

    public List<UnitRecord> Units { get; init; } = [];

    /// <summary>VP or Dean areas, each with the point persons they designated to request escalations.</summary>
    public List<VpAreaRecord> VpAreas { get; init; } = [];

    public List<CoordinatorRecord> Coordinators { get; init; } = [];

    public RoutingRecord? Routing { get; init; }
}

public sealed record PersonRecord(
    string Id,
    string Name,
    string? Email = null,
    string? Phone = null,
    string? ManagerId = null,
    string? UnitId = null,
    string? TeamId = null);

/// <summary>An IT area such as User Support Services; for USS the manager is its Director.</summary>
public sealed record ItAreaRecord(string Id, string Name, string ManagerId, List<string>? LeadIds = null);

/// <summary>A division outside IT, with the managers who receive escalations of its teams' tickets.</summary>
public sealed record DivisionRecord(string Id, string Name, List<string> ManagerIds);

/// <summary>
/// A team belongs to exactly one IT area or one division. New work is e-mailed to the team's <see cref="Email"/> (a
/// shared address) or, without one, to its members and lead; a team that works from the console sets
/// <see cref="NotifyOnAssignment"/> to false and gets no such mail (nor do its agents).
/// </summary>
public sealed record TeamRecord(string Id, string Name, string? AreaId = null, string? DivisionId = null, string? LeadId = null,
    string? Email = null, bool? NotifyOnAssignment = null)
{
    public bool WantsAssignmentMail => NotifyOnAssignment ?? true;
}

public sealed record UnitRecord(string Id, string Name, string? VpAreaId = null);

public sealed record VpAreaRecord(string Id, string Name, List<string> PointPersonIds);

public sealed record CoordinatorRecord(string PersonId, string ManagerId);

public sealed record RoutingRecord(string DefaultTeamId, List<RoutingRuleRecord>? Rules = null);

/// <summary>
/// Routes a ticket whose category equals <see cref="Category"/> or whose text contains one of <see cref="Keywords"/>
/// (whole words, case-insensitive). Rules are tried in order; the first match wins.
/// </summary>
public sealed record RoutingRuleRecord(string TeamId, string? Category = null, List<string>? Keywords = null, string? AgentId = null);
