using Escalation.Core.Organization;
using Escalation.Core.Tickets;

namespace Escalation.Core.Escalations;

/// <summary>One person to notify, with every reason they are notified (a person who is both manager and lead gets one notice).</summary>
public sealed record EscalationRecipient(string PersonId, string Name, string? Email, IReadOnlyList<string> Reasons);

/// <summary>
/// Who is told when a ticket breaches its first-response window: the ITS manager of the assigned team's area (or the
/// division's managers for a team outside IT), the lead of every team that has held the ticket, and the lead and
/// supervisor of every agent who has been assigned it.
/// </summary>
public static class EscalationRecipients
{
    public static IReadOnlyList<EscalationRecipient> For(Ticket ticket, OrgDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(directory);
        var reasons = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var order = new List<string>();

        void Add(string? personId, string reason)
        {
            if (personId is null || directory.FindPerson(personId) is null)
            {
                return;
            }

            if (!reasons.TryGetValue(personId, out var list))
            {
                reasons[personId] = list = [];
                order.Add(personId);
            }

            if (!list.Contains(reason))
            {
                list.Add(reason);
            }
        }

        var team = directory.FindTeam(ticket.Assignment.TeamId);
        if (directory.FindArea(team?.AreaId) is { } area)
        {
            Add(area.ManagerId, $"ITS manager of {area.Name}");
        }
        else if (directory.FindDivision(team?.DivisionId) is { } division)
        {
            foreach (var manager in division.ManagerIds)
            {
                Add(manager, $"manager of {division.Name}");
            }
        }

        foreach (var assignedTeam in ticket.AssignedTeams.Select(directory.FindTeam).OfType<TeamRecord>())
        {
            Add(assignedTeam.LeadId, $"lead of {assignedTeam.Name}");
        }

        foreach (var agent in ticket.AssignedAgents.Select(directory.FindPerson).OfType<PersonRecord>())
        {
            if (directory.FindTeam(agent.TeamId) is { } agentTeam && agentTeam.LeadId != agent.Id)
            {
                Add(agentTeam.LeadId, $"lead of {agent.Name}");
            }

            if (agent.ManagerId != agent.Id)
            {
                Add(agent.ManagerId, $"supervisor of {agent.Name}");
            }
        }

        return order
            .Select(id => directory.FindPerson(id)!)
            .Select(person => new EscalationRecipient(person.Id, person.Name, person.Email, reasons[person.Id]))
            .ToList();
    }
    /// <summary>The staff holding the ticket, by name, as the alerts name them: the agent with their team, or the team.</summary>
    public static string StaffOf(Ticket ticket, OrgDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(directory);
        var team = directory.FindTeam(ticket.Assignment.TeamId)?.Name ?? ticket.Assignment.TeamId;
        return ticket.Assignment.AgentId is { } agentId
            ? $"{directory.FindPerson(agentId)?.Name ?? agentId} ({team})"
            : $"the team {team} (no agent assigned yet)";
    }
}
