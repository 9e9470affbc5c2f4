using Escalation.Core.Organization;
using Escalation.Core.Tickets;

namespace Escalation.Core.Escalations;

/// <summary>Where step 5 sends an escalation, and why.</summary>
public sealed record EscalationRoute(IReadOnlyList<string> ManagerIds, string Rule, string? CioId);

/// <summary>
/// Step 5's routing rule: a ticket assigned to User Support Services goes to its Director (the area's manager), one of
/// another IT area to that area's manager, one of a team outside IT to that division's managers; the CIO is copied.
/// </summary>
public static class EscalationRouting
{
    public static EscalationRoute Route(Ticket ticket, OrgDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(directory);
        var team = directory.FindTeam(ticket.Assignment.TeamId);
        var rule = team switch
        {
            { AreaId: { } areaId } when directory.FindArea(areaId) is { } area => $"manager of the IT area {area.Name}",
            { DivisionId: { } divisionId } when directory.FindDivision(divisionId) is { } division => $"managers of the division {division.Name}",
            _ => "no owning manager in the directory",
        };
        return new EscalationRoute(directory.OwningManagerIds(ticket.Assignment.TeamId), rule, directory.Document.CioId);
    }

    /// <summary>
    /// Who is told, once per escalation, that a manager escalation of their staff's ticket is open: the recipients of an
    /// SLA escalation (area manager or division managers, leads of every team and agent that held it, the agents'
    /// supervisors) and the leads of the assigned team's IT area.
    /// </summary>
    public static IReadOnlyList<EscalationRecipient> InvolvedStaff(Ticket ticket, OrgDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(directory);
        var recipients = EscalationRecipients.For(ticket, directory).ToList();
        var area = directory.FindArea(directory.FindTeam(ticket.Assignment.TeamId)?.AreaId);
        foreach (var leadId in area?.LeadIds ?? [])
        {
            var index = recipients.FindIndex(r => r.PersonId == leadId);
            var reason = $"lead in {area!.Name}";
            if (index >= 0)
            {
                if (!recipients[index].Reasons.Contains(reason))
                {
                    recipients[index] = recipients[index] with { Reasons = [.. recipients[index].Reasons, reason] };
                }
            }
            else if (directory.FindPerson(leadId) is { } lead)
            {
                recipients.Add(new EscalationRecipient(lead.Id, lead.Name, lead.Email, [reason]));
            }
        }

        return recipients;
    }
}
