using Ardalis.Result;
using Escalation.Core.Identity;
using Escalation.Core.Reporting;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Core.Worklist;
using Escalation.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Escalation.Tests.Worklist;

/// <summary>Who sees which tickets in which view: the scope table, the views' rules, and the read model kept from the change feed.</summary>
[Collection(CosmosCollection.Name)]
public sealed class WorklistTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = Builders.Monday9am.AddDays(1);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly CosmosCalls _calls = new();
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(cosmos, timeProvider: _time, cosmosCalls: _calls);
        var tickets = _app.Get<TicketStore>();
        async Task CreateAsync(Ticket ticket) => (await tickets.CreateAsync(ticket)).ShouldBeTrue();

        // Service Desk: one of Ann's, answered; one of Ann's, unanswered and past half of its window; one unassigned whose
        // requester wrote; one breached. Network: Bob's. Facilities: unassigned. And a resolved one that must not show.
        var answered = Builders.Ticket("SD-9001", new Assignment("service-desk", "agent-ann"), Now.AddHours(-32));
        answered.Respond("r", "agent-ann", "On it", true, Now.AddHours(-29));
        await CreateAsync(answered);
        await CreateAsync(Builders.Ticket("SD-9002", new Assignment("service-desk", "agent-ann"), Now.AddHours(-30)));
        var wrote = Builders.Ticket("SD-9003", new Assignment("service-desk"), Now.AddHours(-2));
        wrote.AppendMessage("m", "user-ursula", "Any news?", false, Now.AddHours(-1), fromRequester: true);
        await CreateAsync(wrote);
        await CreateAsync(Builders.Ticket("SD-9004", new Assignment("service-desk", "agent-ben"), Now.AddDays(-3)));
        await CreateAsync(Builders.Ticket("SD-9005", new Assignment("network-team", "agent-bob"), Now.AddHours(-1)));
        await CreateAsync(Builders.Ticket("SD-9006", new Assignment("facilities-team"), Now.AddHours(-1)));
        var resolved = Builders.Ticket("SD-9007", new Assignment("service-desk", "agent-ann"), Now.AddHours(-3));
        resolved.Resolve("z", "agent-ann", "Done", Now.AddHours(-2));
        await CreateAsync(resolved);
        (await _app.Get<ReportProjection>().CatchUpAsync(default)).ShouldBe(7);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public static TheoryData<string, string, string?> Scopes => new()
    {
        { "agent-ann", "agent", "service-desk" },
        { "lead-desk", "agent,manager", "service-desk" },
        { "dir-uss", "manager", "service-desk" },
        { "net-mgr", "manager", "network-team" },
        { "fac-mgr", "manager", "facilities-team" },
        { "cio", "manager", "*" },
        { "coord-carl", "coordinator", "*" },
        { "ops-admin", "admin", "*" },
        { "user-ursula", "", null },
        { "prof-paul", "manager", null },
    };

    [Theory]
    [MemberData(nameof(Scopes))]
    public void The_scope_follows_the_same_relationships_as_reading_a_ticket(string personId, string roles, string? teams)
    {
        var scope = WorklistScope.For(HttpCall.Person(personId, roles.Split(',', StringSplitOptions.RemoveEmptyEntries)), Builders.Directory());

        if (teams is null)
        {
            scope.ShouldBeNull($"{personId} gets their own tickets, not a worklist");
            return;
        }

        scope.ShouldNotBeNull();
        scope.Everything.ShouldBe(teams == "*");
        if (teams != "*")
        {
            scope.TeamIds.ShouldBe([teams]);
        }
    }

    [Theory]
    [InlineData("agent-ann", WorklistView.AssignedToMe, "SD-9001,SD-9002")]
    [InlineData("agent-ann", WorklistView.Unassigned, "SD-9003")]
    [InlineData("agent-ann", WorklistView.Open, "SD-9004,SD-9001,SD-9002,SD-9003")]
    [InlineData("agent-ann", WorklistView.WaitingForMe, "SD-9003")]
    [InlineData("agent-ann", WorklistView.AtRisk, "SD-9002")]
    [InlineData("agent-ann", WorklistView.Breached, "SD-9004")]
    [InlineData("net-mgr", WorklistView.Open, "SD-9005")]
    [InlineData("fac-mgr", WorklistView.Unassigned, "SD-9006")]
    [InlineData("cio", WorklistView.Open, "SD-9004,SD-9001,SD-9002,SD-9003,SD-9005,SD-9006")]
    [InlineData("agent-bob", WorklistView.Breached, "")]
    public async Task Each_view_lists_the_open_tickets_of_the_callers_scope_the_nearest_deadline_first(string personId, WorklistView view, string expected)
    {
        var page = await PageAsync(personId, new WorklistRequest(view, new WorklistFilter(), WorklistSort.Due, null, 50));

        string.Join(",", page.Tickets.Select(t => t.TicketNumber)).ShouldBe(expected);
        page.Counts[WorklistNames.Of(view)].ShouldBe(page.Tickets.Count);
    }

    [Fact]
    public async Task Rows_carry_names_and_the_clock_and_the_resolved_ticket_is_gone()
    {
        var page = await PageAsync("cio", new WorklistRequest(WorklistView.Open, new WorklistFilter(), WorklistSort.Due, null, 50));

        page.Tickets.ShouldNotContain(t => t.TicketNumber == "SD-9007");
        var late = page.Tickets.Single(t => t.TicketNumber == "SD-9004");
        (late.TeamName, late.AgentName, late.RequesterName).ShouldBe(("Service Desk", "Ben Becker", "Ursula User"));
        late.OverdueSeconds.ShouldBe(TimeSpan.FromDays(1).TotalSeconds);
        late.RemainingSeconds.ShouldBeNull();
        var soon = page.Tickets.Single(t => t.TicketNumber == "SD-9002");
        soon.RemainingSeconds.ShouldBe(TimeSpan.FromHours(18).TotalSeconds);
        page.Tickets.Single(t => t.TicketNumber == "SD-9001").Answered.ShouldBeTrue();
    }

    [Fact]
    public async Task Filters_sorts_and_pages_narrow_and_order_the_view()
    {
        var byText = await PageAsync("cio", new WorklistRequest(WorklistView.Open, new WorklistFilter(Text: "LAPTOP", TeamId: "network-team"),
            WorklistSort.Due, null, 50));
        byText.Tickets.Select(t => t.TicketNumber).ShouldBe(["SD-9005"]);
        (await PageAsync("cio", new WorklistRequest(WorklistView.Open, new WorklistFilter(Text: "printer"), WorklistSort.Due, null, 50)))
            .Tickets.ShouldBeEmpty();
        (await PageAsync("cio", new WorklistRequest(WorklistView.Open, new WorklistFilter(Status: TicketStatus.InProgress), WorklistSort.Due, null, 50)))
            .Tickets.Select(t => t.TicketNumber).ShouldBe(["SD-9001"]);
        (await PageAsync("cio", new WorklistRequest(WorklistView.Open, new WorklistFilter(), WorklistSort.Activity, null, 50)))
            .Tickets[0].TicketNumber.ShouldBe("SD-9003", "her message is the latest activity");

        var first = await PageAsync("cio", new WorklistRequest(WorklistView.Open, new WorklistFilter(), WorklistSort.Due, null, 4));
        var second = await PageAsync("cio", new WorklistRequest(WorklistView.Open, new WorklistFilter(), WorklistSort.Due, first.Continuation, 4));
        first.Tickets.Count.ShouldBe(4);
        second.Tickets.Select(t => t.TicketNumber).ShouldBe(["SD-9005", "SD-9006"]);
        second.Continuation.ShouldBeNull();

        var critical = Ticket.Open("SD-9008", Channel.Web, "k-9008", new Requester("user-ursula", "Ursula User"), "Server room flooded", "Water",
            null, Priority.Critical, new Assignment("facilities-team"), [], Now, Now.AddHours(4));
        (await _app.Get<TicketStore>().CreateAsync(critical)).ShouldBeTrue();
        await _app.Get<ReportProjection>().CatchUpAsync(default);
        (await PageAsync("cio", new WorklistRequest(WorklistView.Open, new WorklistFilter(), WorklistSort.Priority, null, 50)))
            .Tickets.Select(t => t.TicketNumber).ShouldBe(["SD-9008", "SD-9004", "SD-9001", "SD-9002", "SD-9003", "SD-9005", "SD-9006"],
                "the critical one first, then the nearest deadline (a sort that needs its composite index)");
    }

    [Fact]
    public async Task A_page_reads_only_the_worklist_of_open_tickets_never_the_tickets_container()
    {
        _calls.Clear();

        await PageAsync("agent-ann", new WorklistRequest(WorklistView.Open, new WorklistFilter(), WorklistSort.Due, null, 50));

        _calls.All.ShouldNotContain(call => call.Contains(" tickets ", StringComparison.Ordinal));
        _calls.All.Where(call => call != "GET sequences 200").ShouldBe(Enumerable.Repeat("POST worklist 200", 4),
            "one query counts every view and one reads the page, each with the query plan the SDK asks the gateway for; "
            + "the directory's version is the only other read");
    }

    [Fact]
    public async Task A_ticket_that_is_resolved_or_answered_moves_out_of_its_views_at_the_next_projection()
    {
        var tickets = _app.Get<TicketStore>();
        await tickets.UpdateAsync("SD-9004", t => t.Resolve("z", "agent-ben", "Fixed", Now));
        await tickets.UpdateAsync("SD-9002", t => t.Respond("r", "agent-ann", "Looking", true, Now).Map(_ => true));
        await _app.Get<ReportProjection>().CatchUpAsync(default);

        var page = await PageAsync("agent-ann", new WorklistRequest(WorklistView.Open, new WorklistFilter(), WorklistSort.Due, null, 50));

        page.Tickets.Select(t => t.TicketNumber).ShouldBe(["SD-9001", "SD-9002", "SD-9003"]);
        page.Counts[WorklistNames.Of(WorklistView.AtRisk)].ShouldBe(0);
        page.Counts[WorklistNames.Of(WorklistView.Breached)].ShouldBe(0);
    }

    [Fact]
    public async Task A_continuation_from_elsewhere_or_an_unknown_team_is_invalid()
    {
        var worklist = _app.Get<TicketWorklist>();
        var scope = WorklistScope.For(HttpCall.Person("cio", Roles.Manager), Builders.Directory())!;

        (await worklist.GetAsync(new WorklistRequest(WorklistView.Open, new WorklistFilter(TeamId: "nope"), WorklistSort.Due, null, 50), scope))
            .Status.ShouldBe(ResultStatus.Invalid);
        (await worklist.GetAsync(new WorklistRequest(WorklistView.Open, new WorklistFilter(), WorklistSort.Due, "!!!", 50), scope))
            .Status.ShouldBe(ResultStatus.Invalid);
        (await worklist.GetAsync(new WorklistRequest(WorklistView.Open, new WorklistFilter(), WorklistSort.Due, null, 0), scope))
            .Status.ShouldBe(ResultStatus.Invalid);
    }

    private async Task<WorklistPage> PageAsync(string personId, WorklistRequest request)
    {
        var roles = personId switch { "cio" or "net-mgr" or "fac-mgr" => new[] { Roles.Manager }, _ => [Roles.Agent] };
        var scope = WorklistScope.For(HttpCall.Person(personId, roles), Builders.Directory()).ShouldNotBeNull();
        var page = await _app.Get<TicketWorklist>().GetAsync(request, scope);
        page.IsSuccess.ShouldBeTrue(string.Join(" ", page.Errors.Concat(page.ValidationErrors.Select(e => e.ErrorMessage))));
        return page.Value;
    }
}
