using Escalation.Core.Escalations;
using Escalation.Core.Reporting;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Tests.Support;

namespace Escalation.Tests.WebConsole;

/// <summary>The open-escalation queue (one JOIN query over the tickets container) against the local Cosmos server.</summary>
[Collection(CosmosCollection.Name)]
public sealed class EscalationQueueTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = Builders.Monday9am;
    private CosmosStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await cosmos.CreateStoreAsync();
        var tickets = new TicketStore(_store);
        await tickets.CreateAsync(Escalated("SD-3001", new Assignment("service-desk"), acknowledgeBy: Now.AddHours(2)));
        await tickets.CreateAsync(Escalated("SD-3002", new Assignment("network-team", "agent-bob"), acknowledgeBy: Now.AddHours(1)));
        var worked = Escalated("SD-3003", new Assignment("service-desk", "agent-ann"), acknowledgeBy: Now.AddMinutes(30), acknowledged: true);
        worked.Escalations[0].Close("coord-carl", "done", Now, "SD-3003");
        worked.Escalations.Add(Escalation("E2", Now.AddMinutes(20), acknowledged: true));
        await tickets.CreateAsync(worked);
        await tickets.CreateAsync(Builders.Ticket("SD-3004"));
    }

    public Task DisposeAsync()
    {
        _store.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Coordinators_see_every_open_escalation_waiting_ones_first_nearest_deadline_first()
    {
        var queue = await new CosmosOpenEscalations(_store).OpenAsync(ReportScope.Everything, default);

        queue.Select(q => (q.TicketNumber, q.Escalation.Id)).ShouldBe([("SD-3002", "E1"), ("SD-3001", "E1"), ("SD-3003", "E2")]);
        var first = queue[0];
        first.Subject.ShouldBe("Laptop will not boot");
        (first.TeamId, first.AgentId).ShouldBe(("network-team", "agent-bob"));
        first.Escalation.CoordinatorId.ShouldBe("coord-carl");
        first.Escalation.Checklist!.Count.ShouldBe(7, "the queue shows checklist progress");
        first.Escalation.AcknowledgeBy.ShouldBe(Now.AddHours(1));
    }

    [Fact]
    public async Task A_manager_sees_the_escalations_of_their_teams_and_an_agent_those_of_their_own_tickets()
    {
        var queue = new CosmosOpenEscalations(_store);

        (await queue.OpenAsync(ReportScope.ForTeams(["network-team"]), default)).Select(q => q.TicketNumber).ShouldBe(["SD-3002"]);
        (await queue.OpenAsync(ReportScope.ForTeams(["service-desk"]), default)).Select(q => q.TicketNumber).ShouldBe(["SD-3001", "SD-3003"]);
        (await queue.OpenAsync(ReportScope.ForAgent("agent-ann"), default)).Select(q => q.TicketNumber).ShouldBe(["SD-3003"]);
        (await queue.OpenAsync(ReportScope.ForTeams([]), default)).ShouldBeEmpty();
    }

    private static Ticket Escalated(string number, Assignment assignment, DateTimeOffset acknowledgeBy, bool acknowledged = false)
    {
        var ticket = Builders.Ticket(number, assignment);
        ticket.Escalations.Add(Escalation("E1", acknowledgeBy, acknowledged));
        return ticket;
    }

    private static ManagerEscalation Escalation(string id, DateTimeOffset acknowledgeBy, bool acknowledged)
    {
        var escalation = new ManagerEscalation { Id = id, OpenedAt = Now };
        escalation.Requests.Add(new EscalationRequest("prof-paul", "Prof. Paul Chen", "Grant deadline", EscalationChannel.Web, Now));
        escalation.Assign("coord-carl", Now, acknowledgeBy, "SD-0");
        escalation.AcknowledgedAt = acknowledged ? Now : null;
        return escalation;
    }
}
