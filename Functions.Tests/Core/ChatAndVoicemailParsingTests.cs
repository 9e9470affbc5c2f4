using System.Text;
using Ardalis.Result;
using Escalation.Core.Intake;
using Escalation.Core.Tickets;
using Escalation.Tests.Channels;
using Escalation.Tests.Support;

namespace Escalation.Tests.Core;

/// <summary>The chat and voicemail payloads to intake messages, without HTTP: keys, subjects, flags, validation.</summary>
public class ChatAndVoicemailParsingTests
{
    private const double MinConfidence = 0.6;

    [Fact]
    public void A_chat_message_carries_its_delivery_key_thread_key_and_the_senders_claim()
    {
        var message = Chat(ChannelWebhooks.Chat("first-message.json")).Value;

        message.Channel.ShouldBe(Channel.Chat);
        message.DeliveryKey.ShouldBe("teams:1795773600123");
        message.ThreadKey.ShouldBe("chat:teams:a:1vP9kQ2mZ7xR4tB8nC3dF6gH0jK5lL2sW9eY1uI4oA7qE3rT6yU");
        message.Requester.Email.ShouldBe("ursula.user@example.edu");
        message.Requester.DisplayName.ShouldBe("Ursula User");
        message.Requester.PersonId.ShouldStartWith("29:");
        message.Subject.ShouldBe("VPN keeps disconnecting every few minutes");
        message.Details.Keys.ShouldBe(["platform", "conversationId"], ignoreOrder: true);
        message.Flags.ShouldBeEmpty();
    }

    [Fact]
    public void The_platform_name_is_case_insensitive_in_the_keys()
    {
        var message = Chat(ChannelWebhooks.Set(ChannelWebhooks.Chat("first-message.json"), "platform", "\" Teams \"")).Value;

        message.DeliveryKey.ShouldBe("teams:1795773600123");
        message.Details["platform"].ShouldBe("teams");
    }

    [Theory]
    [InlineData("Printer jammed", "Printer jammed")]
    [InlineData("\n\n   Printer   jammed \r\nIt makes a noise", "Printer jammed")]
    [InlineData("  \t ", "")]
    [InlineData(
        "My laptop shows a blue screen with the message CRITICAL_PROCESS_DIED every time I open the lab software",
        "My laptop shows a blue screen with the message CRITICAL_PROCESS_DIED every time…")]
    [InlineData(
        "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…")]
    public void The_subject_is_the_first_line_with_text_cut_at_a_word_to_80_characters(string text, string subject)
    {
        var result = ChatWebhook.SubjectFrom(text);

        result.ShouldBe(subject);
        result.Length.ShouldBeLessThanOrEqualTo(ChatWebhook.SubjectMaxLength);
    }

    [Fact]
    public void A_subject_is_never_cut_inside_a_surrogate_pair()
    {
        var subject = ChatWebhook.SubjectFrom(new string('a', 78) + "🔥🔥🔥");

        subject.ShouldBe(new string('a', 78) + "…");
    }

    [Fact]
    public void Every_invalid_chat_field_is_named()
    {
        var result = Chat("""{"platform":"MS Teams","conversationId":" ","user":{},"text":"","timestamp":"27/11/2026 10:00"}""");

        result.Status.ShouldBe(ResultStatus.Invalid);
        result.ValidationErrors.Select(e => e.Identifier).Distinct()
            .ShouldBe(["platform", "conversationId", "messageId", "user", "text", "timestamp"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("""{"text":42}""", "text")]
    [InlineData("""{"user":{"email":["a@example.edu"]}}""", "user.email")]
    [InlineData("""{"platform":"teams",,}""", "body")]
    [InlineData("""[1,2]""", "body")]
    [InlineData("""null""", "body")]
    public void Malformed_json_is_invalid_naming_where(string json, string field)
    {
        var result = Chat(json);

        result.Status.ShouldBe(ResultStatus.Invalid);
        result.ValidationErrors.ShouldHaveSingleItem().Identifier.ShouldBe(field);
    }

    [Theory]
    [InlineData(IntakeOutcome.Created, "Ursula User", "Thanks, Ursula. Your request is ticket SD-1001; we will reply here.")]
    [InlineData(IntakeOutcome.Created, null, "Thanks. Your request is ticket SD-1001; we will reply here.")]
    [InlineData(IntakeOutcome.Appended, "Ursula User", "Added to ticket SD-1001.")]
    [InlineData(IntakeOutcome.Duplicate, "Ursula User", "Already received; this is ticket SD-1001.")]
    public void The_chat_reply_names_the_ticket(IntakeOutcome outcome, string? name, string reply)
    {
        var message = new IntakeMessage(Channel.Chat, "teams:1", new RequesterClaim(null, name, "u@example.edu"), "s", "d");

        var response = ChatIntakeResponse.For(new IntakeReceipt("SD-1001", outcome), message);

        response.ShouldBe(new ChatIntakeResponse("SD-1001", outcome, reply));
    }

    [Fact]
    public void A_voicemail_claims_the_caller_by_number_and_keeps_the_call_facts()
    {
        var message = Voicemail(ChannelWebhooks.Voicemail("known-caller.json")).Value;

        message.Channel.ShouldBe(Channel.Voicemail);
        message.DeliveryKey.ShouldBe("c0a8012e-5f3b-4c1d-9e2a-7b6d8f4e3a21");
        message.ThreadKey.ShouldBeNull();
        message.Requester.ShouldBe(new RequesterClaim(null, "+1 555 010 2000", null, "+1 555 010 2000"));
        message.Subject.ShouldBe("Voicemail from +1 555 010 2000");
        message.Flags.ShouldBeEmpty();
        message.Details["durationSeconds"].ShouldBe("12.34");
        message.Details["confidence"].ShouldBe("0.91", "(0.93×4.2 + 0.88×4.1 + 0.91×3.0) / 11.3 = 0.907");
    }

    [Fact]
    public void Confidence_is_the_duration_weighted_mean_of_each_phrases_best_alternative()
    {
        var transcript = Transcript(
            Phrase(confidence: [0.9, 0.95], ticks: 80_000_000),
            Phrase(confidence: [0.3], ticks: 20_000_000),
            Phrase(confidence: [0.1], ticks: 90_000_000, status: "NoMatch"));

        transcript.Confidence()!.Value.ShouldBe((0.95 * 8 + 0.3 * 2) / 10, 1e-9);
    }

    [Fact]
    public void Without_tick_counts_the_ISO_durations_weigh_and_without_any_duration_the_plain_mean_counts()
    {
        var iso = Transcript(Phrase([0.9], isoDuration: "PT8S"), Phrase([0.3], isoDuration: "PT2S"));
        var none = Transcript(Phrase([0.9]), Phrase([0.3], isoDuration: "PT2S"));
        var garbage = Transcript(Phrase([0.9], isoDuration: "eight seconds"), Phrase([0.3], ticks: double.MaxValue));

        iso.Confidence()!.Value.ShouldBe(0.78, 1e-9);
        none.Confidence()!.Value.ShouldBe(0.6, 1e-9);
        garbage.Confidence()!.Value.ShouldBe(0.6, 1e-9);
    }

    [Fact]
    public void A_transcript_below_the_threshold_or_without_any_confidence_is_flagged_low_confidence()
    {
        Voicemail(ChannelWebhooks.Voicemail("low-confidence.json")).Value.Flags.ShouldBe([TicketFlags.LowConfidenceTranscript]);
        var withoutPhrases = ChannelWebhooks.Set(ChannelWebhooks.Voicemail("known-caller.json"), "transcription.recognizedPhrases", null);

        var message = Voicemail(withoutPhrases).Value;

        message.Flags.ShouldBe([TicketFlags.LowConfidenceTranscript]);
        message.Details.ShouldNotContainKey("confidence");
        message.Description.ShouldStartWith("Hi, this is Ursula User");
    }

    [Fact]
    public void A_transcript_at_the_threshold_is_not_flagged()
    {
        var voicemail = VoicemailTranscription.Parse(Encoding.UTF8.GetBytes(ChannelWebhooks.Voicemail("known-caller.json"))).Value;
        var confidence = voicemail.Transcription!.Confidence()!.Value;

        voicemail.ToIntakeMessage(confidence).Value.Flags.ShouldBeEmpty();
        voicemail.ToIntakeMessage(confidence + 0.001).Value.Flags.ShouldBe([TicketFlags.LowConfidenceTranscript]);
    }

    [Fact]
    public void An_empty_transcript_is_flagged_and_the_description_points_to_the_recording()
    {
        var message = Voicemail(ChannelWebhooks.Voicemail("empty-transcript.json")).Value;

        message.Flags.ShouldBe([TicketFlags.EmptyTranscript]);
        message.Description.ShouldStartWith("The voicemail transcript is empty. Listen to the recording: https://");
        message.Details.ShouldNotContainKey("confidence");
    }

    [Fact]
    public void Without_combined_phrases_the_best_alternatives_of_the_phrases_make_the_text_in_order()
    {
        var transcript = Transcript(
            Phrase([0.8], ticks: 10_000_000, offsetTicks: 30_000_000, display: "call me back."),
            Phrase([0.5, 0.9], ticks: 10_000_000, offsetTicks: 0, display: "The printer is jammed,"),
            Phrase([0.9], ticks: 10_000_000, offsetTicks: 20_000_000, status: "NoMatch", display: "noise"));

        transcript.DisplayText().ShouldBe("The printer is jammed, call me back.");
    }

    [Fact]
    public void The_recording_length_comes_from_ticks_or_the_ISO_duration()
    {
        new SpeechTranscriptionResult(123_400_000, "PT99S", null, null).TotalDuration().ShouldBe(TimeSpan.FromSeconds(12.34));
        new SpeechTranscriptionResult(null, "PT1M2.5S", null, null).TotalDuration().ShouldBe(TimeSpan.FromSeconds(62.5));
        new SpeechTranscriptionResult(null, "62 seconds", null, null).TotalDuration().ShouldBeNull();
        new SpeechTranscriptionResult(-5, "-PT5S", null, null).TotalDuration().ShouldBeNull();
        new SpeechTranscriptionResult(double.PositiveInfinity, "P99999999999999D", null, null).TotalDuration().ShouldBeNull();
    }

    [Fact]
    public void A_transcript_longer_than_a_description_is_cut_with_a_note()
    {
        var longTranscript = ChannelWebhooks.Set(ChannelWebhooks.Voicemail("known-caller.json"), "transcription.combinedRecognizedPhrases[0].display",
            $"\"{new string('a', 30_000)}\"");

        var message = Voicemail(longTranscript).Value;

        message.Description.Length.ShouldBe(IntakeLimits.DescriptionMaxLength);
        message.Description.ShouldEndWith(VoicemailTranscription.TruncationNote);
    }

    [Fact]
    public void Every_invalid_voicemail_field_is_named()
    {
        var result = Voicemail("""
            {"callId":" ","recordingUrl":"file:///etc/passwd","receivedAt":"soon",
             "transcription":{"recognizedPhrases":[null,{"nBest":[null,{"confidence":7}]}]}}
            """);

        result.Status.ShouldBe(ResultStatus.Invalid);
        result.ValidationErrors.Select(e => e.Identifier)
            .ShouldBe(["callId", "callerNumber", "recordingUrl", "receivedAt", "transcription.recognizedPhrases[1].nBest[1].confidence"], ignoreOrder: true);
    }

    [Fact]
    public void Null_elements_and_missing_arrays_in_the_transcript_are_tolerated()
    {
        var result = Voicemail("""
            {"callId":"c1","callerNumber":"anonymous","recordingUrl":"https://example.org/r.wav",
             "transcription":{"combinedRecognizedPhrases":[null],"recognizedPhrases":[null,{"recognitionStatus":"Success","nBest":[null]}]}}
            """);

        result.IsSuccess.ShouldBeTrue();
        result.Value.Flags.ShouldBe([TicketFlags.EmptyTranscript]);
        result.Value.Subject.ShouldBe("Voicemail from anonymous");
        result.Value.Details.Keys.ShouldBe(["recordingUrl", "callerNumber"], ignoreOrder: true);
    }

    [Fact]
    public void The_signing_example_in_the_channel_docs_is_what_the_webhooks_compute_and_a_valid_message()
    {
        const string body = """{"platform":"teams","conversationId":"demo-1","messageId":"m-1","user":{"email":"ursula.user@example.edu","name":"Ursula User"},"text":"Printer on floor 3 is jammed","timestamp":"2026-11-27T10:00:00Z"}""";
        const string signature = "sha256=a62f9c7c8787e0729e07d8a60897f4f3fa177f19376166288914a67961e72956";
        var docs = File.ReadAllText(RepositoryPaths.Combine("docs", "channels", "chat-and-voicemail.md"));

        docs.ShouldContain($"body:      {body}");
        docs.ShouldContain($"BODY='{body}'");
        docs.ShouldContain($"signature: {signature}");
        WebhookSignature.Sign("local-chat-secret", 1_795_773_600, Encoding.UTF8.GetBytes(body)).ShouldBe(signature);
        WebhookSignature.Verify("local-chat-secret", signature, "1795773600", Encoding.UTF8.GetBytes(body),
            DateTimeOffset.FromUnixTimeSeconds(1_795_773_600), TimeSpan.FromMinutes(5)).ShouldBeNull();
        Chat(body).IsSuccess.ShouldBeTrue();
    }

    private static Result<IntakeMessage> Chat(string json) => ChatWebhook.ReadMessage(Encoding.UTF8.GetBytes(json));

    private static Result<IntakeMessage> Voicemail(string json) => VoicemailTranscription.ReadMessage(Encoding.UTF8.GetBytes(json), MinConfidence);

    private static SpeechTranscriptionResult Transcript(params RecognizedPhrase[] phrases) => new(null, null, null, phrases);

    private static RecognizedPhrase Phrase(double[] confidence, double? ticks = null, string? isoDuration = null, string status = "Success",
        double offsetTicks = 0, string display = "text") =>
        new(status, 0, null, isoDuration, offsetTicks, ticks, [.. confidence.Select(c => new NBestRecognition(c, display))]);
}
