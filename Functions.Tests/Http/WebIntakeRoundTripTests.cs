using System.Net;
using Escalation.Core.Identity;
using Escalation.Core.Storage;
using Escalation.Core.Workflow;
using Escalation.Functions.Http;
using Escalation.Tests.Support;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Tests.Http;

/// <summary>
/// What a web intake costs in Cosmos round trips, counted by a request handler in the app's own client, and that the
/// cheaper intake keeps its guarantees: retries and concurrent deliveries open one ticket, an interrupted first
/// attempt is completed by its retry, and a directory loaded elsewhere is used at once (docs/decisions/0009).
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class WebIntakeRoundTripTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private const string ValidTicket = """{"subject":"Laptop will not boot","description":"Black screen since this morning.","priority":"high"}""";
    private static readonly Caller Ursula = HttpCall.Person("user-ursula");
    private readonly CosmosCalls _calls = new();
    private readonly StoreFaults _faults = new();
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(cosmos, withDurable: true, storeFaults: _faults, cosmosCalls: _calls);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_new_web_ticket_takes_at_most_three_Cosmos_round_trips_and_reads_nothing()
    {
        await SubmitAsync("warm-up");
        _calls.Clear();

        var response = await SubmitAsync("rt-1");

        response.Status.ShouldBe(201);
        var calls = _calls.All;
        calls.Count.ShouldBeLessThanOrEqualTo(3, string.Join(", ", calls));
        calls.ShouldNotContain(c => c.StartsWith("GET ", StringComparison.Ordinal), string.Join(", ", calls));
        var number = response.Json.GetProperty("ticketNumber").GetString()!;
        (await _app.TicketAsync(number)).ChannelMessageId.ShouldBe("user-ursula:rt-1");
        await _app.WaitForOrchestrationAsync(number);
    }

    [Fact]
    public async Task A_retried_web_ticket_takes_at_most_three_round_trips_and_opens_nothing()
    {
        var first = await SubmitAsync("rt-2");
        // Intake answers before the starter schedules the orchestration (ADR 12); a retry that comes before it reads the
        // ticket to complete the first attempt (a fourth round trip), one that comes after finds the orchestration running.
        await _app.WaitForOrchestrationAsync(first.Json.GetProperty("ticketNumber").GetString()!);
        _calls.Clear();

        var retry = await SubmitAsync("rt-2");

        retry.Status.ShouldBe(200);
        retry.Json.GetProperty("ticketNumber").GetString().ShouldBe(first.Json.GetProperty("ticketNumber").GetString());
        _calls.All.Count.ShouldBeLessThanOrEqualTo(3, string.Join(", ", _calls.All));
        _calls.All.ShouldNotContain(c => c.StartsWith("POST tickets", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_request_open_one_ticket_with_one_orchestration()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => SubmitAsync("rt-3"))));

        responses.Select(r => r.Json.GetProperty("ticketNumber").GetString()).Distinct().Count().ShouldBe(1);
        responses.Count(r => r.Status == 201).ShouldBe(1);
        responses.Count(r => r.Status == 200).ShouldBe(7);
        var number = responses[0].Json.GetProperty("ticketNumber").GetString()!;
        (await StoredTicketCountAsync()).ShouldBe(1);
        (await _app.WaitForOrchestrationAsync(number)).RuntimeStatus
            .ShouldBeOneOf(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Pending, Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Running);
    }

    [Fact]
    public async Task An_attempt_that_stopped_after_claiming_the_key_is_completed_by_its_retry()
    {
        _faults.FailNext(1, HttpStatusCode.ServiceUnavailable, StoreFaults.TicketWrite);
        await Should.ThrowAsync<CosmosException>(() => SubmitAsync("rt-4"));
        (await StoredTicketCountAsync()).ShouldBe(0);

        var retry = await SubmitAsync("rt-4");
        var again = await SubmitAsync("rt-4");

        retry.Status.ShouldBe(201);
        again.Status.ShouldBe(200);
        var number = retry.Json.GetProperty("ticketNumber").GetString()!;
        again.Json.GetProperty("ticketNumber").GetString().ShouldBe(number);
        (await StoredTicketCountAsync()).ShouldBe(1);
        await _app.WaitForOrchestrationAsync(number);
    }

    [Fact]
    public async Task A_directory_loaded_by_another_instance_is_used_by_the_next_intake_without_a_read_of_its_own()
    {
        (await SubmitAsync("rt-5")).Status.ShouldBe(201);
        var document = Builders.DirectoryDocument();
        var withoutUrsula = document with { People = [.. document.People.Where(p => p.Id != "user-ursula")] };
        (await new DirectoryStore(_app.Store, TimeProvider.System).LoadAsync(withoutUrsula)).IsSuccess.ShouldBeTrue();

        var response = await SubmitAsync("rt-6");

        response.Status.ShouldBe(201);
        var ticket = await _app.TicketAsync(response.Json.GetProperty("ticketNumber").GetString()!);
        ticket.Requester.PersonId.ShouldBeNull("the new directory no longer knows her");
        ticket.Flags.ShouldContain(Escalation.Core.Tickets.TicketFlags.UnknownRequester);
    }

    private async Task<HttpOutcome> SubmitAsync(string idempotencyKey)
    {
        var request = HttpCall.Request("POST", "/api/tickets", ValidTicket, Ursula,
            headers: new Dictionary<string, string> { [WebIntakeFunction.IdempotencyKeyHeader] = idempotencyKey });
        var function = ActivatorUtilities.CreateInstance<WebIntakeFunction>(_app.Services);
        return await HttpCall.ExecuteAsync(request, await function.SubmitWebTicket(request, _app.Durable!.Client, default));
    }

    private async Task<int> StoredTicketCountAsync() => (await ChannelWebhooks.StoredTicketsAsync(_app)).Count;
}
