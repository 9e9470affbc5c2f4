using Escalation.Core.Escalations;
using Escalation.Core.Tickets;
using Escalation.Tests.Support;

namespace Escalation.Tests.Core;

public class EscalationRecipientsTests
{
    private readonly Escalation.Core.Organization.OrgDirectory _directory = Builders.Directory();

    [Fact]
    public void The_area_manager_and_the_agents_lead_are_notified_once_each()
    {
        // agent-ann's manager is also the service-desk lead: one notice with both reasons.
        var ticket = Builders.Ticket(assignment: new Assignment("service-desk", "agent-ann"));

        var recipients = EscalationRecipients.For(ticket, _directory);

        recipients.Select(r => r.PersonId).ShouldBe(["dir-uss", "lead-desk"]);
        recipients[0].Reasons.ShouldBe(["ITS manager of User Support Services"]);
        recipients[1].Reasons.ShouldBe(["lead of Service Desk", "lead of Ann Agent", "supervisor of Ann Agent"]);
        recipients[1].Email.ShouldBe("lee.park@example.edu");
    }

    [Fact]
    public void Everyone_who_held_the_ticket_brings_their_lead_and_the_current_area_manager_is_notified()
    {
        var ticket = Builders.Ticket(assignment: new Assignment("service-desk", "agent-ann"));
        ticket.Reassign("r1", new Assignment("network-team", "agent-bob"), "lead-desk", Builders.Monday9am);

        var recipients = EscalationRecipients.For(ticket, _directory).Select(r => r.PersonId).ToList();

        recipients.ShouldBe(["net-mgr", "lead-desk", "lead-net"], ignoreOrder: true);
        recipients[0].ShouldBe("net-mgr");
    }

    [Fact]
    public void A_team_outside_IT_escalates_to_its_division_managers()
    {
        var ticket = Builders.Ticket(assignment: new Assignment("facilities-team"));

        var recipients = EscalationRecipients.For(ticket, _directory).Select(r => r.PersonId).ToList();

        recipients.ShouldBe(["fac-mgr", "fac-mgr2", "fac-lead"]);
    }

    [Fact]
    public void A_ticket_held_by_a_team_without_an_agent_notifies_the_team_lead()
    {
        var ticket = Builders.Ticket(assignment: new Assignment("network-team"));

        EscalationRecipients.For(ticket, _directory).Select(r => r.PersonId).ShouldBe(["net-mgr", "lead-net"]);
    }
}
