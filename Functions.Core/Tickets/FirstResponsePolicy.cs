using Escalation.Core.Organization;

namespace Escalation.Core.Tickets;

/// <summary>
/// Who can give a ticket its first response: the agent or a member or the lead of the team that holds the ticket; after
/// the deadline, of the team that held it when it was due, so a late reassignment to oneself cannot meet another team's SLA.
/// </summary>
public static class FirstResponsePolicy
{
    public static bool Counts(Ticket ticket, string? personId, OrgDirectory? directory, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (personId is null)
        {
            return false;
        }

        var holder = HolderAt(ticket, at < ticket.SlaDueAt ? at : ticket.SlaDueAt);
        return holder.AgentId == personId
            || (directory is not null && directory.IsMemberOrLead(personId, holder.TeamId));
    }

    /// <summary>The assignment in force at <paramref name="at"/>, from the assignment entries of the history.</summary>
    public static Assignment HolderAt(Ticket ticket, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return AssignmentOf(ticket.History.LastOrDefault(h =>
            h.Type is HistoryEntryType.Assigned or HistoryEntryType.Reassigned && h.At <= at && h.Data?.ContainsKey("teamId") == true))
            ?? ticket.Assignment;
    }

    /// <summary>The assignment an assignment history entry recorded; null for any other entry.</summary>
    public static Assignment? AssignmentOf(HistoryEntry? entry)
    {
        if (entry?.Data?.GetValueOrDefault("teamId") is not { } teamId)
        {
            return null;
        }

        var agentId = entry.Data.GetValueOrDefault("agentId");
        return new Assignment(teamId, string.IsNullOrEmpty(agentId) ? null : agentId);
    }
}
