using Escalation.Core.Routing;
using Escalation.Tests.Support;

namespace Escalation.Tests.Core;

public class RoutingPolicyTests
{
    private readonly Escalation.Core.Organization.RoutingRecord _routing = Builders.Directory().Routing;

    [Fact]
    public void A_matching_category_routes_to_the_rule_team()
    {
        var decision = RoutingPolicy.Route(_routing, "Network", "Cannot connect", "Nothing works.");
        decision.Assignment.TeamId.ShouldBe("network-team");
        decision.UsedDefault.ShouldBeFalse();
    }

    [Fact]
    public void A_keyword_matches_whole_words_in_subject_or_description()
    {
        RoutingPolicy.Route(_routing, null, "Help", "The WiFi in room 12 drops.").Assignment.TeamId.ShouldBe("network-team");
        RoutingPolicy.Route(_routing, null, "Broken door lock", "Room 3").Assignment.TeamId.ShouldBe("facilities-team");
        RoutingPolicy.Route(_routing, null, "wifiless", "no match here").Assignment.TeamId.ShouldBe("service-desk");
    }

    [Fact]
    public void Without_a_match_the_default_triage_team_gets_it()
    {
        var decision = RoutingPolicy.Route(_routing, "printing", "Printer jam", "Paper stuck.");
        decision.Assignment.TeamId.ShouldBe("service-desk");
        decision.Assignment.AgentId.ShouldBeNull();
        decision.UsedDefault.ShouldBeTrue();
    }

    [Fact]
    public void The_first_matching_rule_wins()
    {
        RoutingPolicy.Route(_routing, "facilities", "vpn", "").Assignment.TeamId.ShouldBe("network-team");
    }
}
