using Escalation.Core.Escalations;
using Escalation.Core.Identity;
using Escalation.Core.Notifications;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Escalation.Functions.Http;
using Escalation.Tests.Support;
using Microsoft.DurableTask.Client;

namespace Escalation.Tests.Escalations;

/// <summary>
/// Manager escalation requests through the HTTP function, on the real store and Durable engine: the rules, the merge,
/// and the coordinator orchestration the ticket orchestration starts (before a breach, after it, and while the ticket
/// orchestration continues as new).
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class EscalationRequestTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private TestApp _app = null!;
    private EscalationHarness _escalations = null!;

    public static TheoryData<string, string, int> Entitlement => new()
    {
        // person, roles, status of their request for Ursula's ticket
        { "prof-paul", "manager", 202 },       // the user's manager
        { "dean-science", "", 202 },           // the manager's manager (no role needed: the directory decides)
        { "point-pat", "", 202 },              // the point person of the user's VP/Dean area
        { "net-mgr", "manager", 403 },         // a manager, but not the user's
        { "user-ursula", "", 403 },            // the user themself
        { "coord-cora", "coordinator", 403 },  // a coordinator (not on their own behalf)
        { "agent-ann", "agent", 403 },         // the agent holding the ticket
        { "someone-else", "", 404 },           // a user with no part in it: as for a missing ticket
    };

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(cosmos, new Dictionary<string, string?>
        {
            ["Sla:DefaultWindow"] = "00:00:03",
            ["Escalations:AcknowledgementWindow"] = "01:00:00",
        }, withDurable: true);
        _escalations = new EscalationHarness(_app);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [MemberData(nameof(Entitlement))]
    public async Task Who_may_escalate_a_ticket(string personId, string roles, int status)
    {
        var number = await _escalations.SubmitAsync();

        var response = await _escalations.RequestAsync(number, HttpCall.Person(personId, roles.Split(',', StringSplitOptions.RemoveEmptyEntries)));

        response.Status.ShouldBe(status, response.Body);
        var ticket = await _app.TicketAsync(number);
        if (status == 202)
        {
            response.Headers.Location.ToString().ShouldBe($"/api/tickets/{number}/escalations/E1");
            response.Json.GetProperty("escalation").GetProperty("id").GetString().ShouldBe("E1");
            ticket.Escalations.Single().Requests.Single().RequesterId.ShouldBe(personId);
        }
        else
        {
            response.ContentType.ShouldBe(Problems.ContentType);
            var detail = response.Json.GetProperty("detail").GetString()!;
            if (status == 404)
            {
                var missing = await _escalations.RequestAsync("SD-9999", HttpCall.Person(personId));
                detail.ShouldBe(missing.Json.GetProperty("detail").GetString()!.Replace("SD-9999", number, StringComparison.Ordinal), "word for word");
            }
            else
            {
                detail.ShouldContain("manager chain");
            }

            ticket.Escalations.ShouldBeEmpty();
            ticket.History.ShouldNotContain(h => h.Type == HistoryEntryType.EscalationRequested);
        }
    }

    [Theory]
    [InlineData("""{"slaReviewed":true}""", "justification")]
    [InlineData("""{"justification":"   ","slaReviewed":true}""", "justification")]
    [InlineData("""{"justification":"Urgent"}""", "slaReviewed")]
    [InlineData("""{"justification":"Urgent","slaReviewed":false}""", "slaReviewed")]
    public async Task Missing_fields_are_400_with_field_errors_and_store_nothing(string body, string field)
    {
        var number = await _escalations.SubmitAsync();

        var response = await _escalations.RequestAsync(number, body: body);

        response.Status.ShouldBe(400);
        response.Json.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(response.Body);
        (await _app.TicketAsync(number)).Escalations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Without_a_ticket_the_requester_is_told_to_have_the_user_submit_one_first()
    {
        var unknown = await _escalations.RequestAsync("SD-9999");
        var request = HttpCall.Request("POST", "/api/escalations", EscalationHarness.Justification, EscalationHarness.Paul);
        var noNumber = await HttpCall.ExecuteAsync(request, await Microsoft.Extensions.DependencyInjection.ActivatorUtilities
            .CreateInstance<EscalationFunctions>(_app.Services).RequestEscalationByNumber(request, _app.Durable!.Client, default));

        unknown.Status.ShouldBe(404);
        noNumber.Status.ShouldBe(400);
        foreach (var answer in new[] { unknown, noNumber })
        {
            answer.Json.GetProperty("title").GetString().ShouldBe("Submit a ticket first");
            answer.Json.GetProperty("detail").GetString()!.ShouldContain("/api/portal");
            answer.Json.GetProperty("detail").GetString()!.ShouldContain("servicedesk@example.edu");
        }
    }

    [Fact]
    public async Task A_resolved_ticket_is_409_saying_it_can_be_reopened()
    {
        var number = await _escalations.SubmitAsync();
        await _app.Get<TicketActions>().ResolveAsync(new ResolveCommand(number, HttpCall.Person("agent-ann", Roles.Agent), "Done", new ActionKey("r")),
            _app.Workflow);

        var response = await _escalations.RequestAsync(number);

        response.Status.ShouldBe(409);
        response.Json.GetProperty("detail").GetString()!.ShouldContain("reopened by replying");
        (await _app.TicketAsync(number)).Escalations.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_request_before_the_breach_starts_one_coordinator_orchestration_that_assigns_and_notifies()
    {
        var number = await _escalations.SubmitAsync();

        (await _escalations.RequestAsync(number)).Status.ShouldBe(202);

        var escalation = await _escalations.WaitForOutboxAsync(number, e => e.CoordinatorId is not null);
        escalation.CoordinatorId.ShouldBe("coord-carl", "no coordinator holds an escalation yet: the lowest person id wins");
        escalation.AcknowledgeBy.ShouldNotBeNull();
        var assigned = _escalations.MailsTo("carl.c@example.edu").Single();
        assigned.Subject.ShouldStartWith($"[{number}] Escalation E1 assigned to you");
        assigned.Text.ShouldContain($"http://127.0.0.1:7071/api/console#/queue/{number}/E1/acknowledge");
        assigned.Text.ShouldNotContain("/api/tickets/");
        assigned.Text.ShouldContain("Grant deadline tomorrow");
        _escalations.MailsTo("dana.reyes@example.edu").Single().Subject.ShouldContain("manager escalation of your staff's ticket");
        _escalations.MailsTo("lee.park@example.edu").Single().Text.ShouldContain("lead of Service Desk");
        _app.Events.EscalationEvents.Values.ShouldContain(e => e.Kind == EscalationEventKind.Requested && e.TicketNumber == number);
        (await _escalations.WaitForProgressAsync(number, p => p.Phase == "awaiting-acknowledgement")).CoordinatorId.ShouldBe("coord-carl");
    }

    [Fact]
    public async Task A_request_after_the_breach_is_escalated_too()
    {
        var number = await _escalations.SubmitAsync();
        await _app.WaitForTicketAsync(number, t => t.History.Count(h => h.Type == HistoryEntryType.NoticeSent) == 2);

        (await _escalations.RequestAsync(number)).Status.ShouldBe(202);

        (await _escalations.WaitForOutboxAsync(number, e => e.CoordinatorId is not null)).Round.ShouldBe(1);
        _escalations.MailsTo("carl.c@example.edu").Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_request_while_the_ticket_orchestration_continues_as_new_is_not_lost()
    {
        var number = await _escalations.SubmitAsync();
        for (var i = 0; i < TicketWorkflowPolicy.SignalsPerGeneration - 2; i++)
        {
            await _app.Workflow.SignalAsync(number, new TicketSignal(TicketSignalKind.Reassigned, "agent-ann", DateTimeOffset.UtcNow));
        }

        // These land around the generation boundary, in any order with the request.
        var noise = Enumerable.Range(0, 6).Select(_ =>
            _app.Workflow.SignalAsync(number, new TicketSignal(TicketSignalKind.Reassigned, "agent-ann", DateTimeOffset.UtcNow)));
        var request = _escalations.RequestAsync(number);
        await Task.WhenAll(noise);
        (await request).Status.ShouldBe(202);

        (await _escalations.WaitForOutboxAsync(number, e => e.CoordinatorId is not null)).CoordinatorId.ShouldBe("coord-carl");
        (await _escalations.RuntimeStatusAsync(number)).ShouldBe(OrchestrationRuntimeStatus.Running);
    }

    [Fact]
    public async Task A_second_request_is_merged_into_the_open_escalation_and_a_retry_changes_nothing()
    {
        var number = await _escalations.SubmitAsync();
        (await _escalations.RequestAsync(number, key: "k1")).Status.ShouldBe(202);

        var retry = await _escalations.RequestAsync(number, key: "k1");
        var merged = await _escalations.RequestAsync(number, HttpCall.Person("point-pat"),
            """{"justification":"The Dean asks for this too.","slaReviewed":true}""");

        retry.Status.ShouldBe(202, "a retry answers as the first attempt did");
        merged.Status.ShouldBe(200);
        merged.Json.GetProperty("escalation").GetProperty("id").GetString().ShouldBe("E1");
        var escalation = await _escalations.WaitForOutboxAsync(number, e => e.CoordinatorId is not null);
        escalation.Requests.Select(r => r.RequesterId).ShouldBe(["prof-paul", "point-pat"]);
        (await _app.TicketAsync(number)).Escalations.Count.ShouldBe(1);
        _escalations.MailsTo("carl.c@example.edu").Count.ShouldBe(1, "one escalation, one coordinator mail");
    }

    [Fact]
    public async Task A_coordinator_records_a_phone_request_on_the_requesters_behalf()
    {
        var number = await _escalations.SubmitAsync();
        var body = """{"justification":"Called: lab shut down.","slaReviewed":true,"channel":"phone","requesterId":"prof-paul"}""";

        (await _escalations.RequestAsync(number, HttpCall.Person("agent-ann", Roles.Agent), body)).Status.ShouldBe(403, "only coordinators record phone requests");
        (await _escalations.RequestAsync(number, HttpCall.Person("coord-cora", Roles.Coordinator),
            body.Replace("prof-paul", "net-mgr", StringComparison.Ordinal))).Status.ShouldBe(403, "the named requester must be entitled");
        var response = await _escalations.RequestAsync(number, EscalationHarness.Cora, body);

        response.Status.ShouldBe(202);
        var request = (await _app.TicketAsync(number)).Escalations.Single().Requests.Single();
        request.RequesterId.ShouldBe("prof-paul");
        request.Channel.ShouldBe(EscalationChannel.Phone);
        request.RecordedBy.ShouldBe("coord-cora");
    }

    [Fact]
    public async Task Resolving_the_ticket_ends_its_open_escalation()
    {
        var number = await _escalations.SubmitAsync();
        (await _escalations.RequestAsync(number)).Status.ShouldBe(202);
        await _escalations.WaitForOutboxAsync(number, e => e.CoordinatorId is not null);

        (await _app.Get<TicketActions>().ResolveAsync(new ResolveCommand(number, HttpCall.Person("agent-ann", Roles.Agent), "Replaced the disk",
            new ActionKey("r1")), _app.Workflow)).IsSuccess.ShouldBeTrue();

        var ended = await _app.Durable!.Client.WaitForInstanceCompletionAsync(EscalationWorkflow.InstanceId(number, "E1"),
            new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        ended.RuntimeStatus.ShouldBe(OrchestrationRuntimeStatus.Completed);
        var ticketInstance = await _app.Durable.Client.WaitForInstanceCompletionAsync(TicketWorkflow.InstanceId(number),
            new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        ticketInstance.RuntimeStatus.ShouldBe(OrchestrationRuntimeStatus.Completed);
        var escalation = (await _app.TicketAsync(number)).Escalations.Single();
        escalation.Status.ShouldBe(EscalationStatus.Closed);
        _app.Events.EscalationEvents.Values.ShouldContain(e => e.Kind == EscalationEventKind.Closed && e.TicketNumber == number);
    }
}
