using System.Text.Json;
using Escalation.Core.Identity;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Functions.Http;
using Escalation.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Tests.Http;

/// <summary>
/// Every person of the demo directory against every ticket endpoint, through the HTTP functions: a Service Desk ticket
/// of Ursula's held by Ann, with one internal note. A refusal is a 403 problem (404 for a user with no part in the
/// ticket) and leaves the ticket as it was.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class AuthorizationMatrixTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private const string Everything = "everything";
    private const string Public = "public";
    private static int _next = 5000;
    private TestApp _app = null!;

    public static TheoryData<string, string, string, int> Matrix => new()
    {
        // person, roles, what GET shows (or its status), status of respond / reassign / resolve
        { "agent-ann", "agent", Everything, 200 },
        { "agent-ben", "agent", Everything, 200 },
        { "lead-desk", "agent,manager", Everything, 200 },
        { "dir-uss", "manager", Everything, 200 },
        { "ops-admin", "admin", Everything, 200 },
        { "cio", "manager", Everything, 403 },
        { "user-ursula", "", Public, 403 },
        { "prof-paul", "", Public, 403 },
        { "point-pat", "", Public, 403 },
        { "agent-bob", "agent", "403", 403 },
        { "net-mgr", "manager", "403", 403 },
        { "fac-mgr", "manager", "403", 403 },
        { "coord-cora", "coordinator", "403", 403 },
        { "someone-else", "", "404", 404 },     // a user with no part in it: as if it did not exist
        { "", "", "401", 401 },
    };

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(cosmos, withDurable: true);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Who_may_read_and_act_on_a_ticket(string personId, string roles, string reads, int acts)
    {
        Caller? caller = personId.Length == 0 ? null : HttpCall.Person(personId, roles.Split(',', StringSplitOptions.RemoveEmptyEntries));
        var functions = ActivatorUtilities.CreateInstance<TicketFunctions>(_app.Services);

        var read = await CallAsync(await NewTicketAsync(), caller, "GET", null, (r, n, _) => functions.GetTicket(r, n, default));
        if (reads is Everything or Public)
        {
            read.Status.ShouldBe(200);
            var types = JsonDocument.Parse(read.Body).RootElement.GetProperty("history").EnumerateArray()
                .Select(h => h.GetProperty("type").GetString()).ToList();
            types.Contains("note").ShouldBe(reads == Everything, $"{personId} sees internal notes");
        }
        else
        {
            read.Status.ShouldBe(int.Parse(reads, System.Globalization.CultureInfo.InvariantCulture));
            read.ContentType.ShouldBe(Problems.ContentType);
        }

        await ActAsync(caller, acts, """{"message":"On it"}""", (r, n, c) => functions.RespondToTicket(r, n, c, default));
        await ActAsync(caller, acts, """{"teamId":"network-team"}""", (r, n, c) => functions.ReassignTicket(r, n, c, default));
        await ActAsync(caller, acts, """{"resolution":"Fixed"}""", (r, n, c) => functions.ResolveTicket(r, n, c, default));
    }

    private async Task ActAsync(Caller? caller, int expected, string body,
        Func<HttpRequest, string, DurableTaskClient, Task<IActionResult>> action)
    {
        var number = await NewTicketAsync();
        var before = JsonSerializer.Serialize(await _app.TicketAsync(number));

        var response = await CallAsync(number, caller, "POST", body, action);

        response.Status.ShouldBe(expected, $"{caller?.Id} {body}");
        if (expected != 200)
        {
            response.ContentType.ShouldBe(Problems.ContentType);
            JsonSerializer.Serialize(await _app.TicketAsync(number)).ShouldBe(before);
        }
    }

    private async Task<HttpOutcome> CallAsync(string number, Caller? caller, string method, string? body,
        Func<HttpRequest, string, DurableTaskClient, Task<IActionResult>> function)
    {
        var request = HttpCall.Request(method, $"/api/tickets/{number}", body ?? string.Empty, caller);
        return await HttpCall.ExecuteAsync(request, await function(request, number, _app.Durable!.Client));
    }

    private async Task<string> NewTicketAsync()
    {
        var ticket = Builders.Ticket(number: $"SD-{Interlocked.Increment(ref _next)}", createdAt: DateTimeOffset.UtcNow);
        ticket.AddNote("note", "lead-net", "Internal: probably the dock", DateTimeOffset.UtcNow);
        (await _app.Get<TicketStore>().CreateAsync(ticket)).ShouldBeTrue();
        return ticket.Number;
    }
}
