using Escalation.Core.Identity;
using Escalation.Core.Tickets;
using Escalation.Tests.Support;

namespace Escalation.Tests.Core;

/// <summary>
/// The authorization table: who may read (and how much) and who may act on a Service Desk ticket of Ursula's that Ann
/// held first and that was then handed to Ben, and on which the lead of the network team was sent a notice.
/// </summary>
public class TicketAccessPolicyTests
{
    public static TheoryData<string, string, TicketVisibility, bool> Table => new()
    {
        // person, roles, what they read, whether they may respond / reassign / resolve
        { "agent-ben", "agent", TicketVisibility.Everything, true },        // assigned agent
        { "lead-desk", "manager", TicketVisibility.Everything, true },      // lead of the assigned team
        { "dir-uss", "manager", TicketVisibility.Everything, true },        // manager of the team's IT area
        { "ops-admin", "admin", TicketVisibility.Everything, true },        // admin, not in the directory
        { "agent-ann", "agent", TicketVisibility.Everything, true },        // past assignee, still in the assigned team
        { "agent-bob", "agent", TicketVisibility.None, false },             // agent of another team
        { "net-mgr", "manager", TicketVisibility.None, false },             // manager of another area
        { "fac-mgr", "manager", TicketVisibility.None, false },             // manager of a division
        { "coord-cora", "coordinator", TicketVisibility.None, false },      // coordinator, no escalation of this ticket
        { "lead-net", "manager", TicketVisibility.Everything, false },      // was sent a notice about it
        { "cio", "manager", TicketVisibility.Everything, false },           // the CIO reads everything
        { "user-ursula", "", TicketVisibility.Public, false },              // the requester
        { "prof-paul", "", TicketVisibility.Public, false },                // the requester's manager
        { "dean-science", "", TicketVisibility.Public, false },             // ... and further up the chain
        { "point-pat", "", TicketVisibility.Public, false },                // the Dean's designated point person
        { "stranger", "agent", TicketVisibility.None, false },              // not in the directory
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Who_reads_and_who_acts(string personId, string roles, TicketVisibility reads, bool acts)
    {
        var ticket = HeldByBenAfterAnn();
        var caller = HttpCall.Person(personId, roles.Split(',', StringSplitOptions.RemoveEmptyEntries));

        var relationships = TicketAccessPolicy.RelationshipOf(ticket, caller, Builders.Directory());

        TicketAccessPolicy.Visibility(relationships).ShouldBe(reads);
        TicketAccessPolicy.Allows(TicketAction.Read, relationships).ShouldBe(reads != TicketVisibility.None);
        foreach (var action in new[] { TicketAction.Respond, TicketAction.Reassign, TicketAction.Resolve })
        {
            TicketAccessPolicy.Allows(action, relationships).ShouldBe(acts, $"{personId} {action}");
        }
    }

    [Fact]
    public void A_division_team_is_answered_for_by_its_division_managers()
    {
        var ticket = Builders.Ticket(assignment: new Assignment("facilities-team"));

        foreach (var manager in new[] { "fac-mgr", "fac-mgr2" })
        {
            TicketAccessPolicy.Allows(TicketAction.Resolve,
                TicketAccessPolicy.RelationshipOf(ticket, HttpCall.Person(manager, Roles.Manager), Builders.Directory())).ShouldBeTrue(manager);
        }

        TicketAccessPolicy.Allows(TicketAction.Resolve,
            TicketAccessPolicy.RelationshipOf(ticket, HttpCall.Person("dir-uss", Roles.Manager), Builders.Directory())).ShouldBeFalse();
    }

    [Fact]
    public void The_coordinator_of_an_escalation_reads_everything_and_may_respond_but_not_reassign_or_resolve()
    {
        var ticket = HeldByBenAfterAnn();
        var escalation = Escalation.Core.Escalations.EscalationChanges.Request(ticket,
            new EscalationRequest("prof-paul", "Paul", "Urgent", EscalationChannel.Web, Builders.Monday9am), "e1", "f").Value.Escalation;
        Escalation.Core.Escalations.EscalationChanges.AssignFirst(ticket, escalation, "coord-cora", Builders.Monday9am, Builders.Monday9am.AddHours(4));

        var cora = TicketAccessPolicy.RelationshipOf(ticket, HttpCall.Person("coord-cora", Roles.Coordinator), Builders.Directory());
        var carl = TicketAccessPolicy.RelationshipOf(ticket, HttpCall.Person("coord-carl", Roles.Coordinator), Builders.Directory());

        cora.HasFlag(TicketRelationship.Coordinator).ShouldBeTrue();
        TicketAccessPolicy.Visibility(cora).ShouldBe(TicketVisibility.Everything);
        TicketAccessPolicy.Allows(TicketAction.Respond, cora).ShouldBeTrue();
        TicketAccessPolicy.Allows(TicketAction.Reassign, cora).ShouldBeFalse();
        TicketAccessPolicy.Allows(TicketAction.Resolve, cora).ShouldBeFalse();
        TicketAccessPolicy.Visibility(carl).ShouldBe(TicketVisibility.None, "a coordinator not working it");
    }

    [Fact]
    public void A_requester_without_a_directory_entry_is_recognised_by_email()
    {
        var ticket = Ticket.Open("SD-1", Channel.Email, "m1", new Requester(null, "Visitor", "visitor@partner.example.org"),
            "Help", "text", null, Priority.Normal, new Assignment("service-desk"), ["unknown-requester"], Builders.Monday9am,
            Builders.Monday9am.AddDays(2));
        var visitor = new Caller("entra-oid-1", "Visitor", "Visitor@Partner.example.org", new HashSet<string>());

        TicketAccessPolicy.Visibility(TicketAccessPolicy.RelationshipOf(ticket, visitor, Builders.Directory()))
            .ShouldBe(TicketVisibility.Public);
    }

    [Fact]
    public void The_public_view_leaves_out_internal_comments_and_notices()
    {
        var ticket = HeldByBenAfterAnn();
        ticket.AddNote("c1", "lead-net", "internal: looks like the dock", Builders.Monday9am.AddHours(1));
        ticket.Respond("r1", "agent-ben", "We are on it", countsAsFirstResponse: true, Builders.Monday9am.AddHours(2));

        var view = TicketView.Of(ticket, Builders.Monday9am.AddHours(3), TicketVisibility.Public);
        var full = TicketView.Of(ticket, Builders.Monday9am.AddHours(3), TicketVisibility.Everything);

        view.History.Select(h => h.Type).ShouldNotContain(HistoryEntryType.Note);
        view.History.Select(h => h.Type).ShouldNotContain(HistoryEntryType.NoticeSent);
        view.History.Select(h => h.Type).ShouldContain(HistoryEntryType.Responded);
        full.History.Select(h => h.Type).ShouldContain(HistoryEntryType.Note);
        full.History.Select(h => h.Type).ShouldContain(HistoryEntryType.NoticeSent);
    }

    private static Ticket HeldByBenAfterAnn()
    {
        var ticket = Builders.Ticket();
        ticket.Reassign("x1", new Assignment("service-desk", "agent-ben"), "agent-ann", Builders.Monday9am.AddMinutes(5));
        ticket.ClaimNotice("n1", "lead-net", Builders.Monday9am, TimeSpan.FromMinutes(5));
        ticket.RecordNoticeEmailed("n1", null, new HistoryEntry("notice:n1", Builders.Monday9am, HistoryEntryType.NoticeSent, "system", "Told lead-net"));
        return ticket;
    }
}
