using System.Text;
using System.Text.Json;
using Escalation.Core;
using Escalation.Core.Identity;
using Escalation.Core.Storage;
using Escalation.Functions.Http;
using Escalation.Tests.Channels;
using Escalation.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Escalation.Tests.Http;

/// <summary>
/// Every JSON endpoint for people, fed mutated bodies, content types and Idempotency-Keys from a fixed seed: never a
/// 5xx, a problem+json on every 4xx, and nothing stored when a request is refused.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class JsonEndpointFuzzTests(CosmosServerFixture cosmos, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 20_261_202;
    private const int Iterations = 120;

    private static readonly Caller Ursula = HttpCall.Person("user-ursula");
    private static readonly Caller Ann = HttpCall.Person("agent-ann", Roles.Agent);
    private static readonly Caller Admin = HttpCall.Person("ops-admin", Roles.Admin);

    private static readonly string?[] ContentTypes =
    [
        "application/json", "application/json", "application/json", "application/json; charset=utf-8", "application/problem+json",
        null, "", "text/plain", "text/plain;x=json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json; charset=utf-16", "a/b/c;;", "application/json\r\nX-Injected: 1",
    ];

    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(cosmos, withDurable: true);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Web_intake()
    {
        string[] seeds = [
            """{"subject":"Laptop will not boot","description":"Black screen","priority":"high","category":"hardware"}""",
            """{"subject":"VPN","description":"drops every hour","clientRequestId":"c-1"}""",
        ];
        var function = ActivatorUtilities.CreateInstance<WebIntakeFunction>(_app.Services);

        await FuzzAsync(seeds, Seed, () => CountAsync(_app.Store.Tickets), async request =>
            await function.SubmitWebTicket(request, _app.Durable!.Client, default), "/api/tickets", Ursula);
    }

    [Theory]
    [InlineData("respond", """{"message":"Looking into it"}""")]
    [InlineData("reassign", """{"teamId":"service-desk","agentId":"agent-ben"}""")]
    [InlineData("resolve", """{"resolution":"Replaced the disk"}""")]
    [InlineData("notes", """{"note":"Probably the dock"}""")]
    [InlineData("replies", """{"message":"It is the dock, I think"}""")]
    public async Task Ticket_actions(string action, string seed)
    {
        var number = Builders.Ticket(number: $"SD-{8000 + action.Length}", createdAt: DateTimeOffset.UtcNow).Number;
        await _app.Get<TicketStore>().CreateAsync(Builders.Ticket(number: number, createdAt: DateTimeOffset.UtcNow));
        var functions = ActivatorUtilities.CreateInstance<TicketFunctions>(_app.Services);
        Func<HttpRequest, Task<Microsoft.AspNetCore.Mvc.IActionResult>> call = action switch
        {
            "respond" => r => functions.RespondToTicket(r, number, _app.Durable!.Client, default),
            "reassign" => r => functions.ReassignTicket(r, number, _app.Durable!.Client, default),
            "notes" => r => functions.AddTicketNote(r, number, default),
            "replies" => r => functions.ReplyToTicket(r, number, _app.Durable!.Client, default),
            _ => r => functions.ResolveTicket(r, number, _app.Durable!.Client, default),
        };

        await FuzzAsync([seed], Seed + action.Length, async () => RequestState(await _app.TicketAsync(number)), call,
            $"/api/tickets/{number}/{action}", action == "replies" ? Ursula : Ann);
    }

    [Theory]
    [InlineData("user-ursula")]
    [InlineData("agent-ann")]
    public async Task Ticket_list_query(string personId)
    {
        await _app.Get<TicketStore>().CreateAsync(Builders.Ticket(number: "SD-8100", createdAt: DateTimeOffset.UtcNow));
        await _app.Get<Escalation.Core.Reporting.ReportProjection>().CatchUpAsync(default);
        var functions = ActivatorUtilities.CreateInstance<TicketFunctions>(_app.Services);
        var caller = personId == "agent-ann" ? Ann : Ursula;
        var random = new Random(Seed + 7 + personId.Length);
        string[] values =
        [
            "me", "", "ME", "you", "me&x", "%00", new string('m', 5000), "-1", "0", "101", "25", "abc", "e30", "W10", "eyJ9", "!!!", "Zm9v",
            "open", "assigned-to-me", "waiting-for-me", "at-risk", "breached", "unassigned", "due", "priority", "activity", "inProgress",
            "critical", "voicemail", "service-desk", "no-such-team", "LAPTOP", "' OR 1=1 --", "@me", "c.id", "\u0000",
        ];
        string[] names = ["requester", "pageSize", "continuation", "view", "sort", "team", "status", "priority", "channel", "q"];
        var statuses = new SortedDictionary<int, int>();
        for (var i = 0; i < Iterations; i++)
        {
            var query = new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                if (random.Next(4) == 0 || (name == "requester" && i % 4 == 0))
                {
                    query[name] = i % 4 == 0 && name == "requester" ? "me" : values[random.Next(values.Length)];
                }
            }

            var request = HttpCall.Request("GET", "/api/tickets", string.Empty, caller);
            request.Query = new QueryCollection(query);
            var response = await HttpCall.ExecuteAsync(request, await functions.ListTickets(request, default));
            statuses[response.Status] = statuses.GetValueOrDefault(response.Status) + 1;
            response.Status.ShouldBeLessThan(500, $"#{i}: {response.Body}");
            if (response.Status >= 400)
            {
                response.ContentType.ShouldBe(Problems.ContentType);
            }
        }

        output.WriteLine(string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
        statuses.Keys.ShouldContain(200);
    }

    /// <summary>
    /// What a request changes on a ticket: its requests' history entries, status and assignment, and the messages it owes.
    /// The owed messages' delivery runs on its own afterwards (and writes its own "system" entries), so it is left out.
    /// </summary>
    private static string RequestState(Escalation.Core.Tickets.Ticket ticket) => JsonSerializer.Serialize(new
    {
        ticket.Status,
        ticket.Assignment,
        History = ticket.History.Where(h => h.Actor != "system"),
        Outgoing = ticket.Outgoing.Select(o => o.Id),
    }, EscalationJson.Options);

    [Fact]
    public async Task Directory_load()
    {
        var functions = ActivatorUtilities.CreateInstance<AdminFunctions>(_app.Services);

        await FuzzAsync([Builders.DirectoryJson()], Seed + 3, async () =>
            {
                var current = await _app.Get<DirectoryStore>().GetCurrentAsync();
                return current.IsSuccess ? JsonSerializer.Serialize(current.Value.Document, EscalationJson.Options) : "none";
            },
            request => functions.LoadDirectory(request, default), "/api/directory", Admin, iterations: 40);
    }

    /// <summary>
    /// Sends mutations of <paramref name="seeds"/> (every eighth one unmutated, so requests also get past the first
    /// check); a 4xx must be a problem and leave <paramref name="state"/> as it was.
    /// </summary>
    private async Task FuzzAsync<TState>(string[] seeds, int seed, Func<Task<TState>> state,
        Func<HttpRequest, Task<Microsoft.AspNetCore.Mvc.IActionResult>> call, string path, Caller caller, int iterations = Iterations)
    {
        var fuzzer = new WebhookFuzzer(new Random(seed), seeds);
        var random = new Random(seed + 1);
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        for (var i = 0; i < iterations; i++)
        {
            var body = i % 8 == 0 ? Encoding.UTF8.GetBytes(seeds[i / 8 % seeds.Length]) : fuzzer.Next();
            var contentType = ContentTypes[random.Next(ContentTypes.Length)];
            var key = random.Next(6) switch
            {
                0 => null,
                1 => new string('k', random.Next(800, 3000)),
                2 => "key\u0001with\rcontrol",
                3 => "ключ",
                _ => $"fuzz-{i}",
            };
            var before = await state();
            var request = HttpCall.Request("POST", path, string.Empty, caller, contentType!,
                key is null ? null : new Dictionary<string, string> { [WebIntakeFunction.IdempotencyKeyHeader] = key });
            request.Body = new MemoryStream(body);
            request.ContentLength = body.Length;
            try
            {
                var response = await HttpCall.ExecuteAsync(request, await call(request));
                statuses[response.Status] = statuses.GetValueOrDefault(response.Status) + 1;
                if (response.Status >= 500)
                {
                    failures.Add($"#{i}: {response.Status} {response.Body}");
                }
                else if (response.Status >= 400)
                {
                    if (response.ContentType != Problems.ContentType)
                    {
                        failures.Add($"#{i}: {response.Status} without problem details");
                    }

                    if (!Equals(await state(), before))
                    {
                        failures.Add($"#{i}: {response.Status} but the stored state changed");
                    }
                }
            }
#pragma warning disable CA1031 // Any exception is the finding; collect them all with the input that caused them.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add($"#{i}: {e.GetType().Name}: {e.Message} for {Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200))}");
            }
        }

        output.WriteLine(string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
        failures.ShouldBeEmpty();
        statuses.Keys.ShouldContain(s => s < 300, "some inputs must get through, or the fuzzing only tests the first check");
    }

    private static async Task<int> CountAsync(Container container)
    {
        using var query = container.GetItemQueryIterator<int>("SELECT VALUE COUNT(1) FROM c");
        return (await query.ReadNextAsync()).Sum();
    }
}
