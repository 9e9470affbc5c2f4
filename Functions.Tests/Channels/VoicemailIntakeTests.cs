using Escalation.Core.Intake;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Escalation.Functions.Http;
using Escalation.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Tests.Channels;

/// <summary>The voicemail transcription webhook called with real, signed requests, on the real store and Durable engine.</summary>
[Collection(CosmosCollection.Name)]
public sealed class VoicemailIntakeTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private const string Route = "/api/intake/voicemail";
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(cosmos, ChannelWebhooks.Settings(), withDurable: true);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_voicemail_from_a_known_number_opens_a_ticket_for_that_person_with_the_recording_link()
    {
        var response = await SendAsync(ChannelWebhooks.Voicemail("known-caller.json"));

        response.Status.ShouldBe(201);
        response.Json.GetProperty("created").GetBoolean().ShouldBeTrue();
        response.Json.GetProperty("outcome").GetString().ShouldBe("created");
        var number = response.Json.GetProperty("ticketNumber").GetString()!;
        var ticket = await _app.TicketAsync(number);
        ticket.Channel.ShouldBe(Channel.Voicemail);
        ticket.Requester.PersonId.ShouldBe("user-ursula", "+1 555 010 2000 is the directory's +1 (555) 010-2000");
        ticket.Subject.ShouldBe("Voicemail from +1 555 010 2000");
        ticket.Description.ShouldBe("Hi, this is Ursula User from Physics. My office printer has been showing offline since yesterday. Could someone call me back? Thanks.");
        ticket.Details.ShouldBe(new Dictionary<string, string>
        {
            ["recordingUrl"] = "https://voicemailstore.blob.core.windows.net/recordings/2026/11/27/c0a8012e-5f3b-4c1d-9e2a-7b6d8f4e3a21.wav",
            ["callerNumber"] = "+1 555 010 2000",
            ["calledNumber"] = "+1 555 010 9999",
            ["receivedAt"] = "2026-11-27T09:58:12.0000000+00:00",
            ["durationSeconds"] = "12.34",
            ["confidence"] = "0.91",
        }, ignoreOrder: true);
        ticket.Flags.ShouldBeEmpty();
        ticket.NeedsTriage.ShouldBeFalse();
        await _app.WaitForOrchestrationAsync(number);
    }

    [Fact]
    public async Task A_voicemail_from_an_unknown_number_is_flagged_for_triage_with_the_number()
    {
        var response = await SendAsync(ChannelWebhooks.Voicemail("unknown-caller.json"));

        response.Status.ShouldBe(201);
        var ticket = await _app.TicketAsync(response.Json.GetProperty("ticketNumber").GetString()!);
        ticket.Requester.PersonId.ShouldBeNull();
        ticket.Requester.DisplayName.ShouldBe("+1 555 010 7788");
        ticket.Requester.Phone.ShouldBe("+1 555 010 7788");
        ticket.Flags.ShouldBe([TicketFlags.UnknownRequester]);
        ticket.NeedsTriage.ShouldBeTrue();
        ticket.Details["callerNumber"].ShouldBe("+1 555 010 7788");
    }

    [Fact]
    public async Task A_low_confidence_transcript_is_kept_and_flagged_for_a_person_to_listen_to()
    {
        var response = await SendAsync(ChannelWebhooks.Voicemail("low-confidence.json"));

        var ticket = await _app.TicketAsync(response.Json.GetProperty("ticketNumber").GetString()!);
        ticket.Requester.PersonId.ShouldBe("user-ursula");
        ticket.Flags.ShouldBe([TicketFlags.LowConfidenceTranscript]);
        ticket.NeedsTriage.ShouldBeTrue();
        ticket.Details["confidence"].ShouldBe("0.47");
        ticket.Description.ShouldBe("Hi, it's Ursula. The the lab server is down again and the, um, backup didn't run.");
        ticket.Details["recordingUrl"].ShouldEndWith("9f1e2d3c-4b5a-4698-8776-5a4b3c2d1e0f.wav");
    }

    [Fact]
    public async Task An_empty_transcript_still_opens_a_ticket_that_points_to_the_recording()
    {
        var response = await SendAsync(ChannelWebhooks.Voicemail("empty-transcript.json"));

        response.Status.ShouldBe(201);
        var ticket = await _app.TicketAsync(response.Json.GetProperty("ticketNumber").GetString()!);
        ticket.Flags.ShouldBe([TicketFlags.EmptyTranscript]);
        ticket.NeedsTriage.ShouldBeTrue();
        ticket.Description.ShouldBe("The voicemail transcript is empty. Listen to the recording: "
            + "https://voicemailstore.blob.core.windows.net/recordings/2026/11/28/0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9.wav");
        ticket.Details.ShouldNotContainKey("confidence");
        ticket.Details["durationSeconds"].ShouldBe("6.02");
    }

    [Fact]
    public async Task A_redelivered_voicemail_returns_its_ticket_and_a_changed_one_with_the_same_call_id_is_a_conflict()
    {
        var body = ChannelWebhooks.Voicemail("known-caller.json");
        var first = await SendAsync(body);

        var again = await SendAsync(body);
        var changed = await SendAsync(ChannelWebhooks.Set(body, "transcription.combinedRecognizedPhrases[0].display", "\"Something else.\""));

        again.Status.ShouldBe(200);
        again.Json.GetProperty("ticketNumber").GetString().ShouldBe(first.Json.GetProperty("ticketNumber").GetString());
        again.Json.GetProperty("outcome").GetString().ShouldBe("duplicate");
        changed.Status.ShouldBe(409);
        (await ChannelWebhooks.StoredTicketsAsync(_app)).Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("missing signature")]
    [InlineData("missing timestamp")]
    [InlineData("wrong secret")]
    [InlineData("chat secret")]
    [InlineData("tampered body")]
    [InlineData("stale timestamp")]
    [InlineData("future timestamp")]
    [InlineData("timestamp not a number")]
    [InlineData("signature not hex")]
    [InlineData("signature without scheme")]
    public async Task A_request_without_a_valid_signature_is_refused_and_stores_nothing(string failure)
    {
        var request = ChannelWebhooks.Tampered(Route, ChannelWebhooks.Voicemail("known-caller.json"), ChannelWebhooks.VoicemailSecret, failure);

        var response = await ExecuteAsync(request);

        response.Status.ShouldBe(401);
        response.ContentType.ShouldBe(Problems.ContentType);
        response.Json.GetProperty("title").GetString().ShouldBe("Invalid signature");
        await ShouldHaveStoredNothingAsync();
    }

    [Theory]
    [InlineData("{\"callId\":")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("42")]
    public async Task A_body_that_is_not_a_JSON_object_is_refused(string body)
    {
        var response = await SendAsync(body);

        response.Status.ShouldBe(400);
        response.ContentType.ShouldBe(Problems.ContentType);
        response.Json.GetProperty("errors").EnumerateObject().ShouldNotBeEmpty();
        await ShouldHaveStoredNothingAsync();
    }

    [Theory]
    [InlineData("callId", null)]
    [InlineData("callId", "\"\"")]
    [InlineData("callId", "12345")]
    [InlineData("callerNumber", null)]
    [InlineData("callerNumber", "5550102000")]
    [InlineData("calledNumber", "{}")]
    [InlineData("recordingUrl", null)]
    [InlineData("recordingUrl", "\"recordings/c0a8012e.wav\"")]
    [InlineData("recordingUrl", "\"ftp://voicemailstore.example/c0a8012e.wav\"")]
    [InlineData("receivedAt", "\"this morning\"")]
    [InlineData("transcription", null)]
    [InlineData("transcription", "\"Hi, this is Ursula\"")]
    [InlineData("transcription.durationInTicks", "\"long\"")]
    [InlineData("transcription.combinedRecognizedPhrases", "{\"display\":\"Hi\"}")]
    [InlineData("transcription.combinedRecognizedPhrases[0].display", "false")]
    [InlineData("transcription.recognizedPhrases", "\"none\"")]
    [InlineData("transcription.recognizedPhrases[0].nBest[0].confidence", "\"high\"")]
    [InlineData("transcription.recognizedPhrases[0].nBest[0].confidence", "1.5")]
    [InlineData("transcription.recognizedPhrases[0].nBest[0].confidence", "-0.1")]
    public async Task A_missing_or_wrongly_typed_field_is_refused_naming_the_field(string field, string? value)
    {
        var response = await SendAsync(ChannelWebhooks.Set(ChannelWebhooks.Voicemail("known-caller.json"), field, value));

        response.Status.ShouldBe(400);
        response.Json.GetProperty("title").GetString().ShouldBe("Invalid request");
        response.Json.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(response.Body);
        await ShouldHaveStoredNothingAsync();
    }

    [Fact]
    public async Task A_long_transcript_under_1_MiB_is_accepted_and_cut_to_the_description_limit()
    {
        var words = string.Join(' ', Enumerable.Repeat("The printer on the third floor is jammed again.", 4_000));
        var body = ChannelWebhooks.Set(ChannelWebhooks.Voicemail("known-caller.json"), "transcription.combinedRecognizedPhrases[0].display", $"\"{words}\"");

        var response = await SendAsync(body);

        response.Status.ShouldBe(201, "a 190 KB transcript is over the chat limit but well under the voicemail one");
        var ticket = await _app.TicketAsync(response.Json.GetProperty("ticketNumber").GetString()!);
        ticket.Description.Length.ShouldBe(IntakeLimits.DescriptionMaxLength);
        ticket.Description.ShouldEndWith(VoicemailTranscription.TruncationNote);
    }

    [Fact]
    public async Task A_body_over_1_MiB_is_refused_before_anything_else()
    {
        var huge = ChannelWebhooks.Set(ChannelWebhooks.Voicemail("known-caller.json"), "transcription.combinedRecognizedPhrases[0].display",
            $"\"{new string('a', 1024 * 1024)}\"");

        (await SendAsync(huge)).Status.ShouldBe(413);
        (await ExecuteAsync(HttpCall.Request("POST", Route, huge))).Status.ShouldBe(413);
        await ShouldHaveStoredNothingAsync();
    }

    private Task<HttpOutcome> SendAsync(string body) => ExecuteAsync(ChannelWebhooks.Signed(Route, body, ChannelWebhooks.VoicemailSecret));

    private async Task<HttpOutcome> ExecuteAsync(HttpRequest request) =>
        await HttpCall.ExecuteAsync(request,
            await ActivatorUtilities.CreateInstance<VoicemailIntakeFunction>(_app.Services).ReceiveVoicemail(request, _app.Durable!.Client, default));

    private Task ShouldHaveStoredNothingAsync() => ChannelWebhooks.ShouldHaveStoredNothingAsync(_app);
}
