using Ardalis.Result;

namespace Escalation.Core.Organization;

/// <summary>The validated org directory with the look-ups the process needs. Immutable; built by <see cref="Create"/>.</summary>
public sealed class OrgDirectory
{
    private readonly Dictionary<string, PersonRecord> _people;
    private readonly Dictionary<string, TeamRecord> _teams;
    private readonly Dictionary<string, ItAreaRecord> _areas;
    private readonly Dictionary<string, DivisionRecord> _divisions;
    private readonly Dictionary<string, UnitRecord> _units;
    private readonly Dictionary<string, VpAreaRecord> _vpAreas;
    private readonly Dictionary<string, PersonRecord> _peopleByEmail;
    private readonly Dictionary<string, PersonRecord> _peopleByPhone;

    private OrgDirectory(OrgDirectoryDocument document)
    {
        Document = document;
        _people = document.People.ToDictionary(p => p.Id, StringComparer.Ordinal);
        _teams = document.Teams.ToDictionary(t => t.Id, StringComparer.Ordinal);
        _areas = document.ItAreas.ToDictionary(a => a.Id, StringComparer.Ordinal);
        _divisions = document.Divisions.ToDictionary(d => d.Id, StringComparer.Ordinal);
        _units = document.Units.ToDictionary(u => u.Id, StringComparer.Ordinal);
        _vpAreas = document.VpAreas.ToDictionary(v => v.Id, StringComparer.Ordinal);
        _peopleByEmail = document.People
            .Where(p => !string.IsNullOrWhiteSpace(p.Email))
            .GroupBy(p => p.Email!.Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        _peopleByPhone = document.People
            .Where(p => PhoneNumber.Normalize(p.Phone) is not null)
            .GroupBy(p => PhoneNumber.Normalize(p.Phone)!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    public OrgDirectoryDocument Document { get; }

    public RoutingRecord Routing => Document.Routing!;

    /// <summary>Validates the document and builds the directory, or lists every problem found.</summary>
    public static Result<OrgDirectory> Create(OrgDirectoryDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var errors = OrgDirectoryValidator.Validate(document);
        return errors.Count == 0
            ? Result.Success(new OrgDirectory(document))
            : Result.Invalid(errors.Select(e => new ValidationError(e)).ToList());
    }

    public PersonRecord? FindPerson(string? id) =>
        id is not null && _people.TryGetValue(id, out var person) ? person : null;

    /// <summary>
    /// The directory entry of a signed-in person: by id (when the directory uses Entra object ids), else by e-mail.
    /// </summary>
    public PersonRecord? FindCaller(string id, string? email) => FindPerson(id) ?? FindPersonByEmail(email);

    public PersonRecord? FindPersonByEmail(string? email) =>
        !string.IsNullOrWhiteSpace(email) && _peopleByEmail.TryGetValue(email.Trim(), out var person) ? person : null;

    public PersonRecord? FindPersonByPhone(string? phone) =>
        PhoneNumber.Normalize(phone) is { } key && _peopleByPhone.TryGetValue(key, out var person) ? person : null;

    public TeamRecord? FindTeam(string? id) =>
        id is not null && _teams.TryGetValue(id, out var team) ? team : null;

    /// <summary>What a person reads for an id: the person's or the team's name; null when the directory knows neither.</summary>
    public string? NameOf(string id) => FindPerson(id)?.Name ?? FindTeam(id)?.Name;

    public ItAreaRecord? FindArea(string? id) =>
        id is not null && _areas.TryGetValue(id, out var area) ? area : null;

    public DivisionRecord? FindDivision(string? id) =>
        id is not null && _divisions.TryGetValue(id, out var division) ? division : null;

    /// <summary>Who answers for a team's work: the manager of its IT area, or the managers of its division.</summary>
    public IReadOnlyList<string> OwningManagerIds(string? teamId) => FindTeam(teamId) switch
    {
        { AreaId: { } areaId } when FindArea(areaId) is { } area => [area.ManagerId],
        { DivisionId: { } divisionId } when FindDivision(divisionId) is { } division => division.ManagerIds,
        _ => [],
    };

    /// <summary>The point persons the VP or Dean of the person's unit designated to request escalations.</summary>
    public IReadOnlyList<string> PointPersonIdsFor(string? personId) =>
        FindPerson(personId)?.UnitId is { } unitId
        && _units.TryGetValue(unitId, out var unit)
        && unit.VpAreaId is { } vpAreaId
        && _vpAreas.TryGetValue(vpAreaId, out var vpArea)
            ? vpArea.PointPersonIds
            : [];

    /// <summary>True when the person leads the team or belongs to it.</summary>
    public bool IsMemberOrLead(string personId, string teamId) =>
        FindTeam(teamId) is { } team
        && (team.LeadId == personId || FindPerson(personId)?.TeamId == teamId);

    /// <summary>The person's managers from the direct manager upwards (cycles are rejected at load).</summary>
    public IEnumerable<PersonRecord> ManagerChain(string personId)
    {
        var current = FindPerson(personId);
        while (FindPerson(current?.ManagerId) is { } manager)
        {
            yield return manager;
            current = manager;
        }
    }
}
