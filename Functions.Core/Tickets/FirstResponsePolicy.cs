using Escalation.Core.Organization;

namespace Escalation.Core.Tickets;

/// <summary>Who can give a ticket its first response: the assigned agent, or a member or the lead of the assigned team.</summary>
public static class FirstResponsePolicy
{
    public static bool Counts(Ticket ticket, string? personId, OrgDirectory? directory)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (personId is null)
        {
            return false;
        }

        return ticket.Assignment.AgentId == personId
            || (directory is not null && directory.IsMemberOrLead(personId, ticket.Assignment.TeamId));
    }
}
