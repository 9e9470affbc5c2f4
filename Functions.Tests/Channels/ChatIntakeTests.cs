using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Escalation.Core.Intake;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Escalation.Functions.Http;
using Escalation.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Tests.Channels;

/// <summary>The chat webhook called with real, signed requests, on the real store and Durable engine.</summary>
[Collection(CosmosCollection.Name)]
public sealed class ChatIntakeTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private const string Route = "/api/intake/chat";
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(cosmos, ChannelWebhooks.Settings(), withDurable: true);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_first_message_of_a_conversation_opens_a_ticket_and_the_reply_names_it()
    {
        var response = await SendAsync(ChannelWebhooks.Chat("first-message.json"));

        response.Status.ShouldBe(201);
        var number = response.Json.GetProperty("ticketNumber").GetString()!;
        response.Json.GetProperty("outcome").GetString().ShouldBe("created");
        response.Json.GetProperty("reply").GetString().ShouldBe($"Thanks, Ursula. Your request is ticket {number}; we will reply here.");
        var ticket = await _app.TicketAsync(number);
        ticket.Channel.ShouldBe(Channel.Chat);
        ticket.Requester.PersonId.ShouldBe("user-ursula", "matched by e-mail: the Teams user id is not a directory id");
        ticket.Subject.ShouldBe("VPN keeps disconnecting every few minutes");
        ticket.Description.ShouldStartWith("VPN keeps disconnecting every few minutes\nSince this morning the VPN client drops");
        ticket.Details["platform"].ShouldBe("teams");
        ticket.Details["conversationId"].ShouldBe("a:1vP9kQ2mZ7xR4tB8nC3dF6gH0jK5lL2sW9eY1uI4oA7qE3rT6yU");
        ticket.Assignment.TeamId.ShouldBe("network-team", "routed by the 'vpn' keyword");
        ticket.NeedsTriage.ShouldBeFalse();
        await _app.WaitForOrchestrationAsync(number);
        (await ChannelWebhooks.StoredTicketsAsync(_app)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Later_messages_of_the_conversation_are_added_to_its_ticket()
    {
        var number = (await SendAsync(ChannelWebhooks.Chat("first-message.json"))).Json.GetProperty("ticketNumber").GetString();

        var followUp = await SendAsync(ChannelWebhooks.Chat("follow-up.json"));

        followUp.Status.ShouldBe(200);
        followUp.Json.GetProperty("ticketNumber").GetString().ShouldBe(number);
        followUp.Json.GetProperty("outcome").GetString().ShouldBe("appended");
        followUp.Json.GetProperty("reply").GetString().ShouldBe($"Added to ticket {number}.");
        var ticket = await _app.TicketAsync(number!);
        var message = ticket.History.Where(h => h.Type == HistoryEntryType.Message).ShouldHaveSingleItem();
        message.Actor.ShouldBe("user-ursula");
        message.Summary.ShouldBe("It also happens on my phone's hotspot, so it is probably not my home Wi-Fi.");
        ticket.FirstResponseAt.ShouldBeNull();
        (await ChannelWebhooks.StoredTicketsAsync(_app)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_message_from_the_assigned_team_in_the_conversation_is_the_first_response()
    {
        var number = (await SendAsync(ChannelWebhooks.Chat("first-message.json"))).Json.GetProperty("ticketNumber").GetString()!;

        var answer = await SendAsync(ChannelWebhooks.Chat("agent-reply.json"));

        answer.Json.GetProperty("outcome").GetString().ShouldBe("appended");
        var ticket = await _app.TicketAsync(number);
        ticket.FirstResponseAt.ShouldNotBeNull();
        ticket.Status.ShouldBe(TicketStatus.InProgress);
        ticket.History.ShouldContain(h => h.Type == HistoryEntryType.Responded && h.Actor == "agent-bob");
    }

    [Fact]
    public async Task A_redelivered_message_changes_nothing()
    {
        var first = await SendAsync(ChannelWebhooks.Chat("first-message.json"));
        var firstAgain = await SendAsync(ChannelWebhooks.Chat("first-message.json"));
        await SendAsync(ChannelWebhooks.Chat("follow-up.json"));
        var followUpAgain = await SendAsync(ChannelWebhooks.Chat("follow-up.json"));

        var number = first.Json.GetProperty("ticketNumber").GetString()!;
        firstAgain.Status.ShouldBe(200);
        firstAgain.Json.GetProperty("ticketNumber").GetString().ShouldBe(number);
        firstAgain.Json.GetProperty("outcome").GetString().ShouldBe("duplicate");
        followUpAgain.Json.GetProperty("outcome").GetString().ShouldBe("duplicate");
        (await _app.TicketAsync(number)).History.Count(h => h.Type == HistoryEntryType.Message).ShouldBe(1);
        (await ChannelWebhooks.StoredTicketsAsync(_app)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Each_conversation_has_its_own_ticket()
    {
        var first = await SendAsync(ChannelWebhooks.Chat("first-message.json"));
        var otherConversation = ChannelWebhooks.Set(
            ChannelWebhooks.Set(ChannelWebhooks.Chat("follow-up.json"), "conversationId", "\"a:2other\""), "messageId", "\"1\"");

        var second = await SendAsync(otherConversation);

        second.Status.ShouldBe(201);
        second.Json.GetProperty("ticketNumber").GetString().ShouldNotBe(first.Json.GetProperty("ticketNumber").GetString());
        (await ChannelWebhooks.StoredTicketsAsync(_app)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_sender_the_directory_does_not_know_gets_a_ticket_flagged_for_triage()
    {
        var response = await SendAsync(ChannelWebhooks.Chat("unknown-user.json"));

        response.Status.ShouldBe(201);
        response.Json.GetProperty("reply").GetString()!.ShouldStartWith("Thanks, Jordan. Your request is ticket ");
        var ticket = await _app.TicketAsync(response.Json.GetProperty("ticketNumber").GetString()!);
        ticket.Requester.PersonId.ShouldBeNull();
        ticket.Requester.DisplayName.ShouldBe("Jordan Doe");
        ticket.Requester.Email.ShouldBe("jordan.doe@partner-university.example.org");
        ticket.Flags.ShouldBe([TicketFlags.UnknownRequester]);
        ticket.NeedsTriage.ShouldBeTrue();
        ticket.Details["platform"].ShouldBe("slack");
    }

    [Theory]
    [InlineData("missing signature")]
    [InlineData("missing timestamp")]
    [InlineData("wrong secret")]
    [InlineData("voicemail secret")]
    [InlineData("tampered body")]
    [InlineData("stale timestamp")]
    [InlineData("future timestamp")]
    [InlineData("timestamp not a number")]
    [InlineData("signature not hex")]
    [InlineData("signature without scheme")]
    public async Task A_request_without_a_valid_signature_is_refused_and_stores_nothing(string failure)
    {
        var request = ChannelWebhooks.Tampered(Route, ChannelWebhooks.Chat("first-message.json"), ChannelWebhooks.ChatSecret, failure);

        var response = await ExecuteAsync(request);

        response.Status.ShouldBe(401);
        response.ContentType.ShouldBe(Problems.ContentType);
        response.Json.GetProperty("title").GetString().ShouldBe("Invalid signature");
        await ShouldHaveStoredNothingAsync();
    }

    [Fact]
    public async Task Without_a_configured_secret_every_request_is_refused()
    {
        await using var unconfigured = await TestApp.StartAsync(cosmos, new Dictionary<string, string?> { ["Intake:ChatSigningSecret"] = "" });
        var request = ChannelWebhooks.Signed(Route, ChannelWebhooks.Chat("first-message.json"), "");

        var response = await HttpCall.ExecuteAsync(request,
            await ActivatorUtilities.CreateInstance<ChatIntakeFunction>(unconfigured.Services).ReceiveChatMessage(request, _app.Durable!.Client, default));

        response.Status.ShouldBe(401);
        response.Json.GetProperty("detail").GetString()!.ShouldContain("no signing secret");
        await ChannelWebhooks.ShouldHaveStoredNothingAsync(unconfigured);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\"VPN is down\"")]
    [InlineData("{\"platform\":\"teams\",")]
    public async Task A_body_that_is_not_a_JSON_object_is_refused(string body)
    {
        var response = await SendAsync(body);

        response.Status.ShouldBe(400);
        response.ContentType.ShouldBe(Problems.ContentType);
        response.Json.GetProperty("errors").EnumerateObject().ShouldNotBeEmpty();
        await ShouldHaveStoredNothingAsync();
    }

    [Theory]
    [InlineData("platform", null)]
    [InlineData("platform", "\"\"")]
    [InlineData("platform", "\"MS Teams\"")]
    [InlineData("conversationId", null)]
    [InlineData("conversationId", "\"  \"")]
    [InlineData("conversationId", "true")]
    [InlineData("messageId", null)]
    [InlineData("messageId", "1795773600123")]
    [InlineData("user", null)]
    [InlineData("user", "\"ursula.user@example.edu\"")]
    [InlineData("user", "{\"name\":\"Ursula User\"}")]
    [InlineData("user.email", "42")]
    [InlineData("text", null)]
    [InlineData("text", "\" \\n \"")]
    [InlineData("text", "42")]
    [InlineData("text", "[\"VPN\"]")]
    [InlineData("timestamp", null)]
    [InlineData("timestamp", "\"yesterday at ten\"")]
    [InlineData("timestamp", "\"2026-11-31T10:00:00Z\"")]
    [InlineData("timestamp", "1795773600")]
    public async Task A_missing_or_wrongly_typed_field_is_refused_naming_the_field(string field, string? value)
    {
        var response = await SendAsync(ChannelWebhooks.Set(ChannelWebhooks.Chat("first-message.json"), field, value));

        response.Status.ShouldBe(400);
        response.Json.GetProperty("title").GetString().ShouldBe("Invalid request");
        response.Json.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(response.Body);
        await ShouldHaveStoredNothingAsync();
    }

    [Fact]
    public async Task A_text_longer_than_a_ticket_description_is_refused()
    {
        var response = await SendAsync(ChannelWebhooks.Set(ChannelWebhooks.Chat("first-message.json"), "text", $"\"{new string('a', 20_001)}\""));

        response.Status.ShouldBe(400);
        response.Json.GetProperty("errors").GetProperty("text").GetArrayLength().ShouldBe(1);
        await ShouldHaveStoredNothingAsync();
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_refused_before_anything_else()
    {
        var huge = ChannelWebhooks.Set(ChannelWebhooks.Chat("first-message.json"), "text", $"\"{new string('a', 70_000)}\"");

        (await SendAsync(huge)).Status.ShouldBe(413);
        var unsigned = HttpCall.Request("POST", Route, huge);
        (await ExecuteAsync(unsigned)).Status.ShouldBe(413);
        await ShouldHaveStoredNothingAsync();
    }

    private Task<HttpOutcome> SendAsync(string body) => ExecuteAsync(ChannelWebhooks.Signed(Route, body, ChannelWebhooks.ChatSecret));

    private async Task<HttpOutcome> ExecuteAsync(HttpRequest request) =>
        await HttpCall.ExecuteAsync(request,
            await ActivatorUtilities.CreateInstance<ChatIntakeFunction>(_app.Services).ReceiveChatMessage(request, _app.Durable!.Client, default));

    private Task ShouldHaveStoredNothingAsync() => ChannelWebhooks.ShouldHaveStoredNothingAsync(_app);
}
