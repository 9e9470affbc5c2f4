using Escalation.Core.Organization;

namespace Escalation.Core.Escalations;

/// <summary>Which coordinator of the roster gets an escalation: deterministic and load-aware.</summary>
public static class CoordinatorAssignment
{
    /// <summary>
    /// The roster coordinator with the fewest open escalations, ties broken by person id (ordinal), leaving out
    /// <paramref name="exclude"/> (the coordinator handing it on) unless nobody else is on the roster; null for an empty roster.
    /// </summary>
    public static string? Choose(IEnumerable<CoordinatorRecord> roster, IReadOnlyDictionary<string, int> openEscalations, string? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(roster);
        ArgumentNullException.ThrowIfNull(openEscalations);
        var candidates = roster.Select(c => c.PersonId).Distinct(StringComparer.Ordinal).ToList();
        if (candidates.Count > 1 && exclude is not null)
        {
            candidates.Remove(exclude);
        }

        return candidates
            .OrderBy(id => openEscalations.GetValueOrDefault(id))
            .ThenBy(id => id, StringComparer.Ordinal)
            .FirstOrDefault();
    }
}
