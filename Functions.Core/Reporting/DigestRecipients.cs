using Escalation.Core.Organization;

namespace Escalation.Core.Reporting;

/// <summary>A person who receives the weekly digest, with the IT areas they answer for and in which role.</summary>
public sealed record DigestRecipient(PersonRecord Person, IReadOnlyList<string> Roles);

/// <summary>Who gets the weekly digest: every ITS manager (an IT area's manager) and every area lead, once each.</summary>
public static class DigestRecipients
{
    public static IReadOnlyList<DigestRecipient> For(OrgDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var roles = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var area in directory.Document.ItAreas)
        {
            Add(area.ManagerId, $"ITS manager of {area.Name}");
            foreach (var lead in area.LeadIds ?? [])
            {
                Add(lead, $"lead in {area.Name}");
            }
        }

        return [.. roles.Select(r => new DigestRecipient(directory.FindPerson(r.Key)!, r.Value))];

        void Add(string personId, string role)
        {
            if (directory.FindPerson(personId) is null)
            {
                return;
            }

            if (!roles.TryGetValue(personId, out var list))
            {
                roles[personId] = list = [];
            }

            if (!list.Contains(role))
            {
                list.Add(role);
            }
        }
    }
}
