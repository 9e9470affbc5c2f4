using Escalation.Core.Tickets;
using Escalation.Tests.Support;

namespace Escalation.Tests.Core;

public class FirstResponsePolicyTests
{
    private static readonly DateTimeOffset Now = Builders.Monday9am;

    [Theory]
    [InlineData("agent-ann", true)]   // the assigned agent
    [InlineData("agent-ben", true)]   // a member of the assigned team
    [InlineData("lead-desk", true)]   // its lead
    [InlineData("agent-bob", false)]  // another team
    [InlineData("dir-uss", false)]    // management answers for the team but is not its response
    public void Inside_the_window_the_holding_agent_and_team_count(string personId, bool counts) =>
        FirstResponsePolicy.Counts(Builders.Ticket(), personId, Builders.Directory(), Now.AddHours(1)).ShouldBe(counts);

    [Fact]
    public void A_team_the_ticket_was_handed_to_before_the_deadline_gives_the_response()
    {
        var ticket = Builders.Ticket();
        ticket.Reassign("x1", new Assignment("network-team"), "agent-ann", Now.AddHours(1));

        FirstResponsePolicy.Counts(ticket, "agent-bob", Builders.Directory(), Now.AddHours(2)).ShouldBeTrue();
        FirstResponsePolicy.Counts(ticket, "agent-ann", Builders.Directory(), Now.AddHours(2)).ShouldBeFalse();
    }

    [Fact]
    public void A_reassignment_after_the_deadline_does_not_make_the_new_holder_meet_it()
    {
        var ticket = Builders.Ticket(window: TimeSpan.FromHours(4));
        ticket.Reassign("x1", new Assignment("network-team", "agent-bob"), "lead-net", Now.AddHours(5));

        FirstResponsePolicy.Counts(ticket, "agent-bob", Builders.Directory(), Now.AddHours(5).AddMinutes(1)).ShouldBeFalse();
        FirstResponsePolicy.Counts(ticket, "agent-ann", Builders.Directory(), Now.AddHours(5).AddMinutes(1)).ShouldBeTrue();
    }
}
