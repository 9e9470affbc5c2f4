using System.Net;
using Escalation.Core.Identity;
using Escalation.Core.Organization;
using Escalation.Core.Storage;
using Escalation.Core.Workflow;
using Escalation.Functions.Http;
using Escalation.Tests.Support;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Tests.Http;

/// <summary>The HTTP functions called with real ASP.NET Core requests, on the real store and Durable engine.</summary>
[Collection(CosmosCollection.Name)]
public sealed class HttpFunctionTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private const string ValidTicket = """{"subject":"Laptop will not boot","description":"Black screen since this morning.","priority":"high"}""";
    private static readonly Caller Ursula = HttpCall.Person("user-ursula");
    private static readonly Caller Ann = HttpCall.Person("agent-ann", Roles.Agent);
    private static readonly Caller Bob = HttpCall.Person("agent-bob", Roles.Agent);
    private static readonly Caller Admin = HttpCall.Person("ops-admin", Roles.Admin);
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(cosmos, withDurable: true);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_valid_web_ticket_creates_one_ticket_and_one_orchestration()
    {
        var response = await SubmitAsync(ValidTicket, Ursula, "key-1");

        response.Status.ShouldBe(201);
        var number = response.Json.GetProperty("ticketNumber").GetString()!;
        response.Headers.Location.ToString().ShouldBe($"/api/tickets/{number}");
        var ticket = await _app.TicketAsync(number);
        ticket.Requester.PersonId.ShouldBe("user-ursula");
        ticket.Priority.ShouldBe(Escalation.Core.Tickets.Priority.High);
        ticket.NeedsTriage.ShouldBeFalse();
        await _app.WaitForOrchestrationAsync(number);
        (await CountAsync(_app.Store.Tickets)).ShouldBe(1);
    }

    [Fact]
    public async Task The_same_request_retried_returns_the_same_ticket()
    {
        var first = await SubmitAsync(ValidTicket, Ursula, "key-2");
        var retry = await SubmitAsync(ValidTicket, Ursula, "key-2");
        var otherPerson = await SubmitAsync(ValidTicket, HttpCall.Person("agent-ben"), "key-2");

        retry.Status.ShouldBe(200);
        retry.Json.GetProperty("ticketNumber").GetString().ShouldBe(first.Json.GetProperty("ticketNumber").GetString());
        retry.Json.GetProperty("created").GetBoolean().ShouldBeFalse();
        otherPerson.Status.ShouldBe(201, "keys are scoped to the caller");
        (await CountAsync(_app.Store.Tickets)).ShouldBe(2);
    }

    [Fact]
    public async Task A_key_reused_for_a_different_request_is_a_conflict()
    {
        await SubmitAsync(ValidTicket, Ursula, "key-3");

        var reused = await SubmitAsync("""{"subject":"Other","description":"Different"}""", Ursula, "key-3");

        reused.Status.ShouldBe(409);
        reused.ContentType.ShouldBe(Problems.ContentType);
        (await CountAsync(_app.Store.Tickets)).ShouldBe(1);
    }

    [Theory]
    [InlineData("{not json", 400, "Malformed JSON")]
    [InlineData("[]", 400, "Malformed JSON")]
    [InlineData("null", 400, "Invalid request")]
    [InlineData("""{"subject":"","description":"x"}""", 400, "Invalid request")]
    [InlineData("""{"subject":"x","description":"y","priority":"urgent!!"}""", 400, "Malformed JSON")]
    [InlineData("""{"subject":42,"description":"y"}""", 400, "Malformed JSON")]
    public async Task Malformed_intake_is_a_problem_and_stores_nothing(string body, int status, string title)
    {
        var response = await SubmitAsync(body, Ursula, "bad");

        response.Status.ShouldBe(status);
        response.ContentType.ShouldBe(Problems.ContentType);
        response.Json.GetProperty("title").GetString().ShouldBe(title);
        response.Json.GetProperty("type").GetString().ShouldBe(title == "Invalid request" ? "urn:escalation:problem:invalid-request" : "urn:escalation:problem:malformed-json");
        response.Json.GetProperty("status").GetInt32().ShouldBe(status);
        (await CountAsync(_app.Store.Tickets)).ShouldBe(0);
        (await CountAsync(_app.Store.IntakeKeys)).ShouldBe(0);
    }

    [Fact]
    public async Task Validation_problems_name_each_field()
    {
        var response = await SubmitAsync($$"""{"subject":"{{new string('s', 201)}}","description":" "}""", Ursula, "v");

        var errors = response.Json.GetProperty("errors");
        errors.GetProperty("subject").GetArrayLength().ShouldBe(1);
        errors.GetProperty("description").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Oversized_unauthenticated_and_wrongly_typed_requests_are_refused_without_storing()
    {
        var huge = $$"""{"subject":"x","description":"{{new string('a', 70_000)}}"}""";
        (await SubmitAsync(huge, Ursula, "big")).Status.ShouldBe(413);
        (await SubmitAsync(ValidTicket, caller: null, "anon")).Status.ShouldBe(401);

        var form = HttpCall.Request("POST", "/api/tickets", "subject=x", Ursula, contentType: "application/x-www-form-urlencoded");
        var formResponse = await HttpCall.ExecuteAsync(form, await Function<WebIntakeFunction>().SubmitWebTicket(form, _app.Durable!.Client, default));
        formResponse.Status.ShouldBe(415);

        (await CountAsync(_app.Store.Tickets)).ShouldBe(0);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("text/plain;x=json")]
    [InlineData("text/json")]
    [InlineData("application/jsonp")]
    [InlineData("multipart/form-data; boundary=json")]
    public async Task A_JSON_endpoint_refuses_any_other_media_type_with_415(string? contentType)
    {
        var request = HttpCall.Request("POST", "/api/tickets", ValidTicket, Ursula, contentType: contentType!);

        var response = await HttpCall.ExecuteAsync(request, await Function<WebIntakeFunction>().SubmitWebTicket(request, _app.Durable!.Client, default));

        response.Status.ShouldBe(415);
        response.ContentType.ShouldBe(Problems.ContentType);
        (await CountAsync(_app.Store.Tickets)).ShouldBe(0);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("Application/JSON; charset=utf-8")]
    [InlineData("application/problem+json")]
    public void JSON_media_types_are_accepted(string contentType) => RequestBody.IsJson(contentType).ShouldBeTrue();

    [Fact]
    public async Task The_development_identity_header_is_ignored_unless_allowed()
    {
        await using var production = await TestApp.StartAsync(cosmos, new Dictionary<string, string?> { ["Auth:AllowDevelopmentIdentity"] = "false" });
        var request = HttpCall.Request("GET", "/api/tickets/SD-1001", headers: new Dictionary<string, string> { [DevelopmentIdentity.HeaderName] = "agent-ann;Ann;;agent" });

        var response = await HttpCall.ExecuteAsync(request,
            await ActivatorUtilities.CreateInstance<TicketFunctions>(production.Services).GetTicket(request, "SD-1001", default));

        response.Status.ShouldBe(401);
    }

    [Fact]
    public async Task A_ticket_is_read_with_history_and_SLA_by_its_requester_and_staff_only()
    {
        var number = (await SubmitAsync(ValidTicket, Ursula, "read")).Json.GetProperty("ticketNumber").GetString()!;

        var mine = await GetAsync(number.ToLowerInvariant(), Ursula);
        mine.Status.ShouldBe(200);
        mine.Json.GetProperty("ticketNumber").GetString().ShouldBe(number);
        mine.Json.GetProperty("sla").GetProperty("status").GetString().ShouldBe("pending");
        mine.Json.GetProperty("history").GetArrayLength().ShouldBe(2);

        (await GetAsync(number, Ann)).Status.ShouldBe(200);
        (await GetAsync(number, Bob)).Status.ShouldBe(403, "staff outside the ticket are told why");
        (await GetAsync(number, HttpCall.Person("someone-else"))).Status.ShouldBe(404);
        (await GetAsync("SD-999999", Ann)).Status.ShouldBe(404);
        (await GetAsync("not-a-number", Ann)).Status.ShouldBe(404);
    }

    [Fact]
    public async Task A_user_with_no_part_in_a_ticket_cannot_tell_it_from_a_missing_one()
    {
        var number = (await SubmitAsync(ValidTicket, Ursula, "oracle")).Json.GetProperty("ticketNumber").GetString()!;
        var missing = "SD-" + (int.Parse(number[3..], System.Globalization.CultureInfo.InvariantCulture) + 500);
        var stranger = HttpCall.Person("someone-else");
        var functions = Function<TicketFunctions>();

        async Task<string> AnswerAsync(string ticketNumber, Func<string, Task<HttpOutcome>> call)
        {
            var outcome = await call(ticketNumber);
            outcome.Status.ShouldBe(404);
            outcome.ContentType.ShouldBe(Problems.ContentType);
            return outcome.Json.GetProperty("detail").GetString()!.Replace(ticketNumber, "N", StringComparison.Ordinal);
        }

        foreach (var call in new Func<string, Task<HttpOutcome>>[]
        {
            n => GetAsync(n, stranger),
            n => ActAsync(functions.RespondToTicket, n, """{"message":"hello"}""", stranger),
            n => ActAsync(functions.ResolveTicket, n, """{"resolution":"done"}""", stranger),
        })
        {
            (await AnswerAsync(number, call)).ShouldBe(await AnswerAsync(missing, call));
        }
    }

    [Fact]
    public async Task A_requester_the_directory_does_not_know_and_without_an_e_mail_reads_and_lists_her_ticket()
    {
        var guest = new Caller("b2c-7f3a9e", "Gus Guest", null, new HashSet<string>());
        var number = (await SubmitAsync(ValidTicket, guest, "guest")).Json.GetProperty("ticketNumber").GetString()!;

        var read = await GetAsync(number, guest);
        read.Status.ShouldBe(200, read.Body);
        read.Json.GetProperty("requester").GetProperty("displayName").GetString().ShouldBe("Gus Guest");
        (await GetAsync(number, new Caller("b2c-someone-else", "Gus Guest", null, new HashSet<string>()))).Status.ShouldBe(404, "the same name is not the same person");

        var request = HttpCall.Request("GET", "/api/tickets", caller: guest);
        request.QueryString = new Microsoft.AspNetCore.Http.QueryString("?requester=me");
        var mine = await HttpCall.ExecuteAsync(request, await Function<TicketFunctions>().ListTickets(request, default));
        mine.Status.ShouldBe(200, mine.Body);
        mine.Json.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("ticketNumber").GetString()).ShouldBe([number]);
    }

    [Fact]
    public async Task Agents_respond_reassign_and_resolve_and_others_are_refused()
    {
        var number = (await SubmitAsync(ValidTicket, Ursula, "act")).Json.GetProperty("ticketNumber").GetString()!;
        var functions = Function<TicketFunctions>();

        var byUser = await ActAsync(functions.RespondToTicket, number, """{"message":"me too"}""", Ursula);
        byUser.Status.ShouldBe(403);

        var responded = await ActAsync(functions.RespondToTicket, number, """{"message":"Looking into it"}""", Ann);
        responded.Status.ShouldBe(200);
        responded.Json.GetProperty("sla").GetProperty("status").GetString().ShouldBe("met");

        (await ActAsync(functions.ReassignTicket, number, """{"teamId":"no-such-team"}""", Ann)).Status.ShouldBe(400);
        (await ActAsync(functions.ReassignTicket, number, """{"teamId":"network-team","agentId":"agent-ann"}""", Ann)).Status.ShouldBe(400);
        var reassigned = await ActAsync(functions.ReassignTicket, number, """{"teamId":"network-team","agentId":"agent-bob"}""", Ann);
        reassigned.Json.GetProperty("assignment").GetProperty("agentId").GetString().ShouldBe("agent-bob");

        (await ActAsync(functions.ResolveTicket, number, """{"resolution":"Not mine any more"}""", Ann)).Status.ShouldBe(403);
        var resolved = await ActAsync(functions.ResolveTicket, number, """{"resolution":"Replaced the disk"}""", Bob);
        resolved.Json.GetProperty("status").GetString().ShouldBe("resolved");
        (await ActAsync(functions.RespondToTicket, number, """{"message":"late"}""", Bob)).Status.ShouldBe(409);
        (await ActAsync(functions.RespondToTicket, "SD-424242", """{"message":"x"}""", Ann)).Status.ShouldBe(404);
    }

    [Fact]
    public async Task An_agent_signed_in_with_an_Entra_object_id_is_matched_to_the_directory_by_email()
    {
        var number = (await SubmitAsync(ValidTicket, Ursula, "oid")).Json.GetProperty("ticketNumber").GetString()!;
        var annByObjectId = new Caller("6f1c2d4e-0000-4000-8000-00000000a001", "Ann Agent", "ann.agent@example.edu",
            new HashSet<string> { Roles.Agent });

        var responded = await ActAsync(Function<TicketFunctions>().RespondToTicket, number, """{"message":"On it"}""", annByObjectId);

        responded.Json.GetProperty("sla").GetProperty("status").GetString().ShouldBe("met");
        (await _app.TicketAsync(number)).History[^1].Actor.ShouldBe("agent-ann");
    }

    [Fact]
    public async Task A_retried_action_with_the_same_idempotency_key_is_recorded_once()
    {
        var number = (await SubmitAsync(ValidTicket, Ursula, "idem")).Json.GetProperty("ticketNumber").GetString()!;
        var functions = Function<TicketFunctions>();

        await ActAsync(functions.RespondToTicket, number, """{"message":"On it"}""", Ann, "resp-1");
        await ActAsync(functions.RespondToTicket, number, """{"message":"On it"}""", Ann, "resp-1");

        (await _app.TicketAsync(number)).History.Count(h => h.Type == Escalation.Core.Tickets.HistoryEntryType.Responded).ShouldBe(1);
    }

    [Fact]
    public async Task An_action_key_is_scoped_to_its_caller_and_fingerprinted()
    {
        var number = (await SubmitAsync(ValidTicket, Ursula, "fp")).Json.GetProperty("ticketNumber").GetString()!;
        var functions = Function<TicketFunctions>();
        var ben = HttpCall.Person("agent-ben", Roles.Agent);

        (await ActAsync(functions.RespondToTicket, number, """{"message":"On it"}""", Ann, "k-1")).Status.ShouldBe(200);
        var otherBody = await ActAsync(functions.RespondToTicket, number, """{"message":"Something else"}""", Ann, "k-1");
        var otherCaller = await ActAsync(functions.RespondToTicket, number, """{"message":"Me too"}""", ben, "k-1");

        otherBody.Status.ShouldBe(409);
        otherBody.ContentType.ShouldBe(Problems.ContentType);
        otherCaller.Status.ShouldBe(200);
        var history = (await _app.TicketAsync(number)).History;
        history.ShouldNotContain(h => h.Summary == "Something else");
        history.ShouldContain(h => h.Summary == "Me too" && h.Actor == "agent-ben");
    }

    [Fact]
    public async Task A_replayed_reassignment_never_undoes_a_later_one()
    {
        var number = (await SubmitAsync(ValidTicket, Ursula, "replay")).Json.GetProperty("ticketNumber").GetString()!;
        var functions = Function<TicketFunctions>();
        const string toBen = """{"teamId":"service-desk","agentId":"agent-ben"}""";

        (await ActAsync(functions.ReassignTicket, number, toBen, Ann, "to-ben")).Status.ShouldBe(200);
        (await ActAsync(functions.ReassignTicket, number, """{"teamId":"service-desk","agentId":"agent-ann"}""", Ann, "back-to-ann")).Status.ShouldBe(200);
        var replay = await ActAsync(functions.ReassignTicket, number, toBen, Ann, "to-ben");

        replay.Status.ShouldBe(200);
        var ticket = await _app.TicketAsync(number);
        ticket.Assignment.AgentId.ShouldBe("agent-ann");
        ticket.History.Count(h => h.Type == Escalation.Core.Tickets.HistoryEntryType.Reassigned).ShouldBe(2);
    }

    [Theory]
    [InlineData(3000)]
    [InlineData(0)]
    public async Task An_unusable_idempotency_key_is_400_and_changes_nothing(int length)
    {
        var number = (await SubmitAsync(ValidTicket, Ursula, $"long-{length}")).Json.GetProperty("ticketNumber").GetString()!;

        var response = await ActAsync(Function<TicketFunctions>().ResolveTicket, number, """{"resolution":"done"}""", Ann, new string('k', length));

        response.Status.ShouldBe(400);
        response.ContentType.ShouldBe(Problems.ContentType);
        (await _app.TicketAsync(number)).IsResolved.ShouldBeFalse();
    }

    [Fact]
    public async Task Older_history_pages_are_read_with_the_same_rights_and_filter_as_the_ticket()
    {
        var tickets = _app.Get<Escalation.Core.Storage.TicketStore>();
        await tickets.CreateAsync(Builders.Ticket("SD-6001", createdAt: DateTimeOffset.UtcNow));
        for (var i = 0; i < 40; i++)
        {
            var internalNote = i % 2 == 0;
            await tickets.UpdateAsync("SD-6001", t =>
            {
                if (internalNote)
                {
                    return t.AddNote($"n{i}", "lead-net", new string('я', 20_000), DateTimeOffset.UtcNow);
                }

                t.Respond($"n{i}", "agent-ann", new string('я', 20_000), countsAsFirstResponse: true, DateTimeOffset.UtcNow);
                return Ardalis.Result.Result.Success();
            });
        }

        var ticket = await _app.TicketAsync("SD-6001");
        ticket.HistoryPages.ShouldBeGreaterThan(0);
        var functions = Function<TicketFunctions>();
        async Task<HttpOutcome> PageAsync(int page, Caller caller)
        {
            var request = HttpCall.Request("GET", $"/api/tickets/SD-6001/history/{page}", caller: caller);
            return await HttpCall.ExecuteAsync(request, await functions.GetTicketHistoryPage(request, "SD-6001", page, default));
        }

        static List<string?> Types(HttpOutcome page) =>
            page.Json.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Types(await PageAsync(0, Ann)).ShouldContain("note");
        Types(await PageAsync(0, Ursula)).ShouldNotContain("note");
        Types(await PageAsync(0, Ursula)).ShouldContain("responded");
        (await PageAsync(0, Bob)).Status.ShouldBe(403);
        (await PageAsync(ticket.HistoryPages, Ann)).Status.ShouldBe(404);
    }

    [Fact]
    public async Task Only_admins_load_the_directory_and_invalid_ones_are_explained()
    {
        var functions = Function<AdminFunctions>();
        var valid = Builders.DirectoryJson();

        (await LoadDirectoryAsync(functions, valid, Ann)).Status.ShouldBe(403);
        var invalid = await LoadDirectoryAsync(functions, valid.Replace("\"managerId\": \"lead-desk\"", "\"managerId\": \"ghost\"", StringComparison.Ordinal), Admin);
        invalid.Status.ShouldBe(400);
        invalid.Json.GetProperty("errors").GetProperty("body")[0].GetString()!.ShouldContain("unknown manager 'ghost'");

        var loaded = await LoadDirectoryAsync(functions, valid, Admin);
        loaded.Status.ShouldBe(200);
        loaded.Json.GetProperty("people").GetInt32().ShouldBe(Builders.DirectoryDocument().People.Count);
    }

    [Fact]
    public async Task Health_reports_the_store_and_the_directory()
    {
        var request = HttpCall.Request("GET", "/api/health");
        var response = await HttpCall.ExecuteAsync(request, await Function<AdminFunctions>().Health(request, default));

        response.Status.ShouldBe(200);
        response.Json.GetProperty("checks").GetProperty("cosmos").GetString().ShouldBe("ok");
        response.Json.GetProperty("checks").GetProperty("directory").GetString().ShouldBe("loaded");
    }

    [Fact]
    public async Task Without_a_directory_intake_is_unavailable_and_health_says_why_while_staying_up()
    {
        await using var empty = await TestApp.StartAsync(cosmos, withDurable: true, loadDirectory: false);
        var request = HttpCall.Request("POST", "/api/tickets", ValidTicket, Ursula);
        var intake = await HttpCall.ExecuteAsync(request,
            await ActivatorUtilities.CreateInstance<WebIntakeFunction>(empty.Services).SubmitWebTicket(request, empty.Durable!.Client, default));
        intake.Status.ShouldBe(503);

        var healthRequest = HttpCall.Request("GET", "/api/health");
        var health = await HttpCall.ExecuteAsync(healthRequest, await ActivatorUtilities.CreateInstance<AdminFunctions>(empty.Services).Health(healthRequest, default));
        health.Status.ShouldBe(200);
        health.Json.GetProperty("status").GetString().ShouldBe("degraded");
        health.Json.GetProperty("checks").GetProperty("directory").GetString()!.ShouldStartWith("not loaded");
        (await CountAsync(empty.Store.Tickets)).ShouldBe(0);
    }

    private T Function<T>() => ActivatorUtilities.CreateInstance<T>(_app.Services);

    private async Task<HttpOutcome> SubmitAsync(string body, Caller? caller, string idempotencyKey)
    {
        var request = HttpCall.Request("POST", "/api/tickets", body, caller,
            headers: new Dictionary<string, string> { [WebIntakeFunction.IdempotencyKeyHeader] = idempotencyKey });
        return await HttpCall.ExecuteAsync(request, await Function<WebIntakeFunction>().SubmitWebTicket(request, _app.Durable!.Client, default));
    }

    private async Task<HttpOutcome> GetAsync(string number, Caller caller)
    {
        var request = HttpCall.Request("GET", $"/api/tickets/{number}", caller: caller);
        return await HttpCall.ExecuteAsync(request, await Function<TicketFunctions>().GetTicket(request, number, default));
    }

    private async Task<HttpOutcome> ActAsync(
        Func<Microsoft.AspNetCore.Http.HttpRequest, string, Microsoft.DurableTask.Client.DurableTaskClient, CancellationToken, Task<Microsoft.AspNetCore.Mvc.IActionResult>> action,
        string number, string body, Caller caller, string? idempotencyKey = null)
    {
        var headers = idempotencyKey is null ? null : new Dictionary<string, string> { [WebIntakeFunction.IdempotencyKeyHeader] = idempotencyKey };
        var request = HttpCall.Request("POST", $"/api/tickets/{number}/action", body, caller, headers: headers);
        return await HttpCall.ExecuteAsync(request, await action(request, number, _app.Durable!.Client, default));
    }

    private static async Task<HttpOutcome> LoadDirectoryAsync(AdminFunctions functions, string body, Caller caller)
    {
        var request = HttpCall.Request("PUT", "/api/directory", body, caller);
        return await HttpCall.ExecuteAsync(request, await functions.LoadDirectory(request, default));
    }

    private static async Task<int> CountAsync(Container container)
    {
        using var query = container.GetItemQueryIterator<int>("SELECT VALUE COUNT(1) FROM c");
        var count = 0;
        while (query.HasMoreResults)
        {
            count += (await query.ReadNextAsync()).Sum();
        }

        return count;
    }
}
