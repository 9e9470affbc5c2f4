using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ardalis.Result;
using Escalation.Core.Intake;
using Escalation.Functions.Http;
using Escalation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Escalation.Tests.Channels;

/// <summary>
/// Random bytes, random JSON and mutations of the fixture payloads (fixed seeds, so a failure reproduces): the parsers
/// return result values for every input, and the signed webhooks answer every input with a 2xx or 4xx.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class ChatVoicemailFuzzTests(CosmosServerFixture cosmos, ITestOutputHelper output)
{
    private const int Seed = 20_261_127;
    private const int ParserIterations = 4_000;
    private const int HttpIterations = 250;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [Fact]
    public void No_input_makes_the_chat_parser_throw_and_what_it_accepts_the_pipeline_accepts()
    {
        var fuzzer = new WebhookFuzzer(new Random(Seed), ChannelWebhooks.All("chat"));

        var outcome = Fuzz(fuzzer, ParserIterations, input =>
        {
            var result = ChatWebhook.ReadMessage(input);
            if (result.IsSuccess)
            {
                ShouldBeAcceptedByThePipeline(result.Value);
                ChatIntakeResponse.For(new IntakeReceipt("SD-1001", IntakeOutcome.Created), result.Value).Reply.ShouldNotBeNullOrWhiteSpace();
            }

            return Describe(result);
        });

        outcome.Failures.ShouldBeEmpty();
        outcome.Counts.GetValueOrDefault("ok").ShouldBeGreaterThan(ParserIterations / 20, "mutations must also reach the mapping, not only the JSON reader");
    }

    [Fact]
    public void No_input_makes_the_voicemail_parser_throw_and_what_it_accepts_the_pipeline_accepts()
    {
        var fuzzer = new WebhookFuzzer(new Random(Seed + 1), ChannelWebhooks.All("voicemail"));

        var outcome = Fuzz(fuzzer, ParserIterations, input =>
        {
            var result = VoicemailTranscription.ReadMessage(input, 0.6);
            if (result.IsSuccess)
            {
                ShouldBeAcceptedByThePipeline(result.Value);
            }

            return Describe(result);
        });

        outcome.Failures.ShouldBeEmpty();
        outcome.Counts.GetValueOrDefault("ok").ShouldBeGreaterThan(ParserIterations / 20, "mutations must also reach the mapping, not only the JSON reader");
    }

    [Fact]
    public async Task No_signed_input_makes_a_webhook_throw_or_answer_with_a_server_error()
    {
        await using var app = await TestApp.StartAsync(cosmos, ChannelWebhooks.Settings(), withDurable: true);
        var chat = ActivatorUtilities.CreateInstance<ChatIntakeFunction>(app.Services);
        var voicemail = ActivatorUtilities.CreateInstance<VoicemailIntakeFunction>(app.Services);

        var chatOutcome = await FuzzAsync(new WebhookFuzzer(new Random(Seed + 2), ChannelWebhooks.All("chat")), async input =>
        {
            var request = ChannelWebhooks.Signed("/api/intake/chat", input, ChannelWebhooks.ChatSecret, DateTimeOffset.UtcNow);
            return (await HttpCall.ExecuteAsync(request, await chat.ReceiveChatMessage(request, app.Durable!.Client, default))).Status;
        });
        var voicemailOutcome = await FuzzAsync(new WebhookFuzzer(new Random(Seed + 3), ChannelWebhooks.All("voicemail")), async input =>
        {
            var request = ChannelWebhooks.Signed("/api/intake/voicemail", input, ChannelWebhooks.VoicemailSecret, DateTimeOffset.UtcNow);
            return (await HttpCall.ExecuteAsync(request, await voicemail.ReceiveVoicemail(request, app.Durable!.Client, default))).Status;
        });

        chatOutcome.Failures.ShouldBeEmpty();
        voicemailOutcome.Failures.ShouldBeEmpty();
        chatOutcome.Counts.Keys.ShouldContain("201", "some mutated messages still open tickets");
        voicemailOutcome.Counts.Keys.ShouldContain("201", "some mutated voicemails still open tickets");
    }

    private static string Describe(Result<IntakeMessage> result)
    {
        result.Status.ShouldBeOneOf(ResultStatus.Ok, ResultStatus.Invalid);
        if (!result.IsSuccess)
        {
            result.ValidationErrors.ShouldNotBeEmpty();
            result.ValidationErrors.ShouldAllBe(e => !string.IsNullOrEmpty(e.Identifier) && !string.IsNullOrEmpty(e.ErrorMessage));
        }

        return result.IsSuccess ? "ok" : "invalid";
    }

    /// <summary>What the pipeline's own validation checks, and text the store can write (no broken surrogate pairs).</summary>
    private static void ShouldBeAcceptedByThePipeline(IntakeMessage message)
    {
        message.Subject.ShouldNotBeNullOrWhiteSpace();
        message.Subject.Length.ShouldBeLessThanOrEqualTo(IntakeLimits.SubjectMaxLength);
        message.Description.ShouldNotBeNullOrWhiteSpace();
        message.Description.Length.ShouldBeLessThanOrEqualTo(IntakeLimits.DescriptionMaxLength);
        message.DeliveryKey.ShouldNotBeNullOrWhiteSpace();
        message.DeliveryKey.Length.ShouldBeLessThanOrEqualTo(IntakeLimits.DeliveryKeyMaxLength);
        string?[] texts = [message.Subject, message.Description, message.DeliveryKey, message.ThreadKey, message.Requester.DisplayName,
            message.Requester.Email, message.Requester.Phone, message.Requester.PersonId, .. message.Details.Values];
        foreach (var text in texts.OfType<string>())
        {
            StrictUtf8.GetByteCount(text);
        }
    }

    private FuzzOutcome Fuzz(WebhookFuzzer fuzzer, int iterations, Func<byte[], string> check)
    {
        var outcome = new FuzzOutcome();
        for (var i = 0; i < iterations; i++)
        {
            var input = fuzzer.Next();
            try
            {
                outcome.Count(check(input));
            }
#pragma warning disable CA1031 // Any exception is the finding; collect them all with the input that caused them.
            catch (Exception e)
#pragma warning restore CA1031
            {
                outcome.Fail(i, input, e);
            }
        }

        output.WriteLine(outcome.ToString());
        return outcome;
    }

    private async Task<FuzzOutcome> FuzzAsync(WebhookFuzzer fuzzer, Func<byte[], Task<int>> send)
    {
        var outcome = new FuzzOutcome();
        for (var i = 0; i < HttpIterations; i++)
        {
            var input = fuzzer.Next();
            try
            {
                var status = await send(input);
                outcome.Count(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (status is < 200 or >= 500)
                {
                    outcome.Fail(i, input, new InvalidOperationException($"Answered {status}."));
                }
            }
#pragma warning disable CA1031 // Any exception is the finding; collect them all with the input that caused them.
            catch (Exception e)
#pragma warning restore CA1031
            {
                outcome.Fail(i, input, e);
            }
        }

        output.WriteLine(outcome.ToString());
        return outcome;
    }

    private sealed class FuzzOutcome
    {
        public SortedDictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

        public List<string> Failures { get; } = [];

        public void Count(string what) => Counts[what] = Counts.GetValueOrDefault(what) + 1;

        public void Fail(int iteration, byte[] input, Exception e)
        {
            Count("failed");
            Failures.Add($"#{iteration}: {e.GetType().Name}: {e.Message} for input ({input.Length} bytes) {Preview(input)}");
        }

        public override string ToString() => string.Join(", ", Counts.Select(kv => $"{kv.Key}: {kv.Value}"));

        private static string Preview(byte[] input)
        {
            var text = Encoding.UTF8.GetString(input, 0, Math.Min(input.Length, 300));
            return JsonSerializer.Serialize(text);
        }
    }
}

/// <summary>
/// Inputs for the parsers: random bytes, random JSON built from the webhook field names, byte-level mutations of the
/// fixtures (flip, delete, insert, duplicate, truncate) and structural ones (a value replaced by a wrong type, a huge or
/// odd number, null, deep nesting, a long string; a property removed; an array element repeated).
/// </summary>
internal sealed class WebhookFuzzer(Random random, IReadOnlyList<string> seeds)
{
    private const string Placeholder = "@@fuzz@@";

    private static readonly string[] FieldNames =
    [
        "platform", "conversationId", "messageId", "user", "id", "email", "name", "text", "timestamp",
        "callId", "callerNumber", "calledNumber", "recordingUrl", "receivedAt", "transcription", "durationInTicks", "duration",
        "combinedRecognizedPhrases", "recognizedPhrases", "recognitionStatus", "channel", "offset", "offsetInTicks", "nBest",
        "confidence", "display", "lexical", "TEXT", "Platform", "",
    ];

    /// <summary>Values of the wrong kind for almost any field: what breaks code that trusts the documented shape.</summary>
    private static readonly string[] TypeConfusions = ["null", "\"\"", "0", "[]", "{}", "true", "[null]", "\"x\""];

    private static readonly string[] Oddities =
    [
        "null", "true", "false", "0", "-0", "-1", "0.5", "1.5", "1e308", "-1e308", "1e400", "-1e400", "4.9e-324",
        "123456789012345678901234567890", "9223372036854775807", "9223372036854775808", "0.1e-400", "NaN", "Infinity", "01",
        "\"NaN\"", "\"Infinity\"", "\"\"", "\" \"", "\"\\n\\t\\r\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\ud83d\\udca5\"", "\"\\u0000\"",
        "\"\\u2028\"", "[]", "{}", "[null]", "[[]]", "[{}]", "{\"\":null}", "\"PT12.34S\"", "\"-PT1S\"", "\"PT0S\"",
        "\"P10675199DT2H48M5.4775807S\"", "\"P10675199DT2H48M5.4775808S\"", "\"PT99999999999999999999S\"", "\"P1Y2M3DT4H5M6.7S\"",
        "\"2026-11-27T10:00:00Z\"", "\"0001-01-01T00:00:00+14:00\"", "\"9999-12-31T23:59:59-14:00\"", "\"2026-02-30T10:00:00Z\"",
        "\"https://example.org/r.wav\"", "\"http://\"", "\"https://[::1\"", "\"javascript:alert(1)\"", "\"+1 (555) 010-2000\"",
        "\"+1 555 010 1001\"", "\"ursula.user@example.edu\"", "\"user-ursula\"", "\"agent-ann\"", "\"Success\"", "\"NoMatch\"",
        "\"teams\"", "\"TEAMS\"", "\"chat:teams:x\"", "\"\\ud83d\\udd25 \\u0645\\u0631\\u062d\\u0628\\u0627\"",
        Deep("[", "]", 40), Deep("[", "]", 70), Deep("{\"a\":", "}", 40, "1"), Deep("{\"a\":", "}", 70, "1"),
        $"\"{new string('x', 100_000)}\"", $"\"{string.Concat(Enumerable.Repeat("\\ud83d\\udca5", 30_000))}\"",
        $"\"{string.Concat(Enumerable.Repeat("word ", 5_000))}\"", $"[{string.Join(',', Enumerable.Repeat("null", 5_000))}]",
        $"[{string.Join(',', Enumerable.Repeat("{\"confidence\":0.5,\"display\":\"x\"}", 2_000))}]",
    ];

    private static readonly byte[] Specials = "{}[]\":,\\ \t\n0123456789-+.eEtrufalsn"u8.ToArray();

    public byte[] Next() => random.Next(10) switch
    {
        0 => RandomBytes(),
        1 or 2 => Encoding.UTF8.GetBytes(RandomValue(0, objectAtRoot: true)),
        3 or 4 => MutateBytes(Encoding.UTF8.GetBytes(Pick(seeds))),
        _ => Encoding.UTF8.GetBytes(MutateStructure(Pick(seeds))),
    };

    private byte[] RandomBytes()
    {
        var bytes = new byte[random.Next(0, 300)];
        random.NextBytes(bytes);
        if (bytes.Length > 0 && random.Next(2) == 0)
        {
            bytes[0] = (byte)'{';
        }

        return bytes;
    }

    private string RandomValue(int depth, bool objectAtRoot = false)
    {
        var choice = objectAtRoot ? 0 : depth > 4 ? 2 : random.Next(4);
        switch (choice)
        {
            case 0:
                var properties = Enumerable.Range(0, random.Next(0, 7))
                    .Select(_ => $"{JsonSerializer.Serialize(Pick(FieldNames))}:{RandomValue(depth + 1)}");
                return "{" + string.Join(',', properties) + "}";
            case 1:
                return "[" + string.Join(',', Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomValue(depth + 1))) + "]";
            default:
                return random.Next(3) == 0 ? JsonSerializer.Serialize(RandomText()) : Pick(Oddities);
        }
    }

    private string RandomText()
    {
        const string pool = "abcXYZ019 .,:;-_+@/\\\"'\n\t\r{}[]éüß中文🔥";
        var length = random.Next(0, 40);
        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            var index = random.Next(pool.Length);
            text.Append(char.IsSurrogate(pool[index]) ? "🔥" : pool[index].ToString());
        }

        return text.ToString();
    }

    private byte[] MutateBytes(byte[] seed)
    {
        var bytes = seed.ToList();
        for (var n = random.Next(1, 5); n > 0 && bytes.Count > 0; n--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 17), bytes.Count - at));
                    break;
                case 2:
                    bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 9)).Select(_ => random.Next(4) == 0
                        ? (byte)random.Next(256)
                        : Specials[random.Next(Specials.Length)]));
                    break;
                case 3:
                    bytes.InsertRange(at, bytes.Skip(random.Next(bytes.Count)).Take(random.Next(1, 64)).ToList());
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    bytes[at] = Specials[random.Next(Specials.Length)];
                    break;
            }
        }

        return [.. bytes];
    }

    private string MutateStructure(string seed)
    {
        var root = JsonNode.Parse(seed)!;
        var replacements = new List<string>();
        for (var n = random.Next(1, 5); n > 0; n--)
        {
            var slots = Slots(root).ToList();
            if (slots.Count == 0)
            {
                break;
            }

            var (parent, name, index) = Pick(slots);
            switch (random.Next(4))
            {
                case 0 when parent is JsonObject obj:
                    obj.Remove(name!);
                    break;
                case 0 when parent is JsonArray array:
                    array.RemoveAt(index!.Value);
                    break;
                case 1 when parent is JsonArray array:
                    array.Add(array[index!.Value]?.DeepClone());
                    break;
                default:
                    var placeholder = $"{Placeholder}{replacements.Count}";
                    replacements.Add(random.Next(5) switch
                    {
                        0 or 1 => Pick(TypeConfusions),
                        2 or 3 => Pick(Oddities),
                        _ => RandomValue(2),
                    });
                    if (parent is JsonObject target)
                    {
                        target[name!] = placeholder;
                    }
                    else
                    {
                        parent.AsArray()[index!.Value] = placeholder;
                    }

                    break;
            }
        }

        var json = root.ToJsonString();
        for (var i = replacements.Count - 1; i >= 0; i--)
        {
            json = json.Replace($"\"{Placeholder}{i}\"", replacements[i], StringComparison.Ordinal);
        }

        return json;
    }

    /// <summary>Every place a value sits: (its object and property name) or (its array and index).</summary>
    private static IEnumerable<(JsonNode Parent, string? Name, int? Index)> Slots(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    yield return (obj, name, null);
                    if (child is not null)
                    {
                        foreach (var slot in Slots(child))
                        {
                            yield return slot;
                        }
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    yield return (array, null, i);
                    if (array[i] is { } child)
                    {
                        foreach (var slot in Slots(child))
                        {
                            yield return slot;
                        }
                    }
                }

                break;
        }
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string Deep(string open, string close, int depth, string inner = "") =>
        string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth));
}
