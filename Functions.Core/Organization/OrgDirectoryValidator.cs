namespace Escalation.Core.Organization;

/// <summary>Checks an org directory document for missing fields, duplicate ids, unknown references and manager cycles.</summary>
internal static class OrgDirectoryValidator
{
    public static List<string> Validate(OrgDirectoryDocument document)
    {
        var errors = StructureErrors(document);
        if (errors.Count > 0)
        {
            return errors;
        }

        var people = UniqueIds(document.People, p => p.Id, "people", errors);
        var teams = UniqueIds(document.Teams, t => t.Id, "teams", errors);
        var areas = UniqueIds(document.ItAreas, a => a.Id, "itAreas", errors);
        var divisions = UniqueIds(document.Divisions, d => d.Id, "divisions", errors);
        var units = UniqueIds(document.Units, u => u.Id, "units", errors);
        var vpAreas = UniqueIds(document.VpAreas, v => v.Id, "vpAreas", errors);

        void Reference(string? id, HashSet<string> known, string what, string where, bool required = false)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                if (required)
                {
                    errors.Add($"{where}: {what} is required.");
                }
            }
            else if (!known.Contains(id))
            {
                errors.Add($"{where}: unknown {what} '{id}'.");
            }
        }

        Reference(document.CioId, people, "person (cioId)", "directory", required: true);

        foreach (var person in document.People)
        {
            var where = $"people '{person.Id}'";
            if (string.IsNullOrWhiteSpace(person.Name))
            {
                errors.Add($"{where}: name is required.");
            }

            Reference(person.ManagerId, people, "manager", where);
            Reference(person.UnitId, units, "unit", where);
            Reference(person.TeamId, teams, "team", where);
        }

        foreach (var area in document.ItAreas)
        {
            Reference(area.ManagerId, people, "manager", $"itAreas '{area.Id}'", required: true);
            foreach (var lead in area.LeadIds ?? [])
            {
                Reference(lead, people, "lead", $"itAreas '{area.Id}'");
            }
        }

        foreach (var division in document.Divisions)
        {
            if (division.ManagerIds is not { Count: > 0 })
            {
                errors.Add($"divisions '{division.Id}': at least one manager is required.");
            }

            foreach (var manager in division.ManagerIds ?? [])
            {
                Reference(manager, people, "manager", $"divisions '{division.Id}'");
            }
        }

        foreach (var team in document.Teams)
        {
            var where = $"teams '{team.Id}'";
            if (string.IsNullOrWhiteSpace(team.AreaId) == string.IsNullOrWhiteSpace(team.DivisionId))
            {
                errors.Add($"{where}: exactly one of areaId or divisionId is required.");
            }

            Reference(team.AreaId, areas, "IT area", where);
            Reference(team.DivisionId, divisions, "division", where);
            Reference(team.LeadId, people, "lead", where);
            if (team.Email is not null && !System.Net.Mail.MailAddress.TryCreate(team.Email, out _))
            {
                errors.Add($"{where}: email '{team.Email}' is not an e-mail address.");
            }
        }

        foreach (var unit in document.Units)
        {
            Reference(unit.VpAreaId, vpAreas, "VP/Dean area", $"units '{unit.Id}'");
        }

        foreach (var vpArea in document.VpAreas)
        {
            foreach (var pointPerson in vpArea.PointPersonIds ?? [])
            {
                Reference(pointPerson, people, "point person", $"vpAreas '{vpArea.Id}'");
            }
        }

        foreach (var coordinator in document.Coordinators)
        {
            Reference(coordinator.PersonId, people, "person", "coordinators", required: true);
            Reference(coordinator.ManagerId, people, "manager", $"coordinators '{coordinator.PersonId}'", required: true);
        }

        if (document.Routing is null)
        {
            errors.Add("routing: a routing section with a defaultTeamId is required.");
        }
        else
        {
            Reference(document.Routing.DefaultTeamId, teams, "team (defaultTeamId)", "routing", required: true);
            for (var i = 0; i < (document.Routing.Rules?.Count ?? 0); i++)
            {
                var rule = document.Routing.Rules![i];
                var where = $"routing.rules[{i}]";
                Reference(rule.TeamId, teams, "team", where, required: true);
                Reference(rule.AgentId, people, "agent", where);
                if (string.IsNullOrWhiteSpace(rule.Category) && rule.Keywords is not { Count: > 0 })
                {
                    errors.Add($"{where}: a category or at least one keyword is required.");
                }
            }
        }

        errors.AddRange(ManagerCycles(document.People));
        return errors;
    }

    /// <summary>Null lists or null entries (e.g. "people": [null]) make every other check meaningless.</summary>
    private static List<string> StructureErrors(OrgDirectoryDocument document)
    {
        var lists = new (string Name, System.Collections.IList? Items)[]
        {
            ("people", document.People), ("itAreas", document.ItAreas), ("divisions", document.Divisions),
            ("teams", document.Teams), ("units", document.Units), ("vpAreas", document.VpAreas),
            ("coordinators", document.Coordinators), ("routing.rules", document.Routing?.Rules ?? []),
        };
        return lists
            .Where(list => list.Items is null || list.Items.Cast<object?>().Any(item => item is null))
            .Select(list => $"{list.Name}: must be a list of objects.")
            .ToList();
    }

    private static HashSet<string> UniqueIds<T>(List<T> items, Func<T, string?> id, string collection, List<string> errors)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var value = id(items[i]);
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{collection}[{i}]: id is required.");
            }
            else if (!ids.Add(value))
            {
                errors.Add($"{collection}: duplicate id '{value}'.");
            }
        }

        return ids;
    }

    private static IEnumerable<string> ManagerCycles(List<PersonRecord> people)
    {
        var managerOf = people
            .Where(p => p.Id is not null && p.ManagerId is not null)
            .GroupBy(p => p.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().ManagerId!, StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in managerOf.Keys)
        {
            var seen = new List<string>();
            var current = start;
            while (current is not null && !seen.Contains(current))
            {
                seen.Add(current);
                current = managerOf.GetValueOrDefault(current);
            }

            if (current is null || reported.Contains(current))
            {
                continue;
            }

            var cycle = seen.SkipWhile(id => id != current).ToList();
            reported.UnionWith(cycle);
            yield return $"people: manager chain cycle {string.Join(" -> ", cycle.Append(current))}.";
        }
    }
}
