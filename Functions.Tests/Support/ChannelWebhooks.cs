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
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Tests.Support;

/// <summary>The chat and voicemail fixtures (Fixtures/chat, Fixtures/voicemail) and signed requests for their webhooks.</summary>
internal static partial class ChannelWebhooks
{
    public const string ChatSecret = "test-chat-signing-secret";
    public const string VoicemailSecret = "test-voicemail-signing-secret";

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Intake:ChatSigningSecret"] = ChatSecret,
        ["Intake:VoicemailSigningSecret"] = VoicemailSecret,
    };

    public static string Chat(string name) => Fixture("chat", name);

    public static string Voicemail(string name) => Fixture("voicemail", name);

    public static IReadOnlyList<string> All(string channel) =>
        [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", channel), "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllText)];

    /// <summary>
    /// The JSON with the value at <paramref name="path"/> ("user.email", "transcription.recognizedPhrases[0].nBest")
    /// replaced by the raw JSON <paramref name="rawValue"/>, or removed when it is null.
    /// </summary>
    public static string Set(string json, string path, string? rawValue)
    {
        var root = JsonNode.Parse(json)!;
        var segments = path.Split('.');
        var parent = segments[..^1].Aggregate(root, Step);
        var (name, index) = Segment(segments[^1]);
        var target = index is null ? parent : parent[name]!;
        var value = rawValue is null ? null : JsonNode.Parse(rawValue);
        switch (target, index)
        {
            case (JsonObject obj, null) when rawValue is null:
                obj.Remove(name);
                break;
            case (JsonObject obj, null):
                obj[name] = value;
                break;
            case (JsonArray array, { } i) when rawValue is null:
                array.RemoveAt(i);
                break;
            case (JsonArray array, { } i):
                array[i] = value;
                break;
            default:
                throw new ArgumentException($"No such path: {path}", nameof(path));
        }

        return root.ToJsonString();
    }

    public static HttpRequest Signed(string route, string body, string secret) =>
        Signed(route, Encoding.UTF8.GetBytes(body), secret, DateTimeOffset.UtcNow);

    public static HttpRequest Signed(string route, byte[] body, string secret, DateTimeOffset signedAt)
    {
        var timestamp = signedAt.ToUnixTimeSeconds();
        return Request(route, body, new Dictionary<string, string>
        {
            [WebhookSignature.SignatureHeader] = WebhookSignature.Sign(secret, timestamp, body),
            [WebhookSignature.TimestampHeader] = timestamp.ToString(CultureInfo.InvariantCulture),
        });
    }

    /// <summary>A request for <paramref name="body"/> whose signature fails in the named way.</summary>
    public static HttpRequest Tampered(string route, string body, string secret, string failure)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var now = DateTimeOffset.UtcNow;
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>
        {
            [WebhookSignature.SignatureHeader] = WebhookSignature.Sign(secret, now.ToUnixTimeSeconds(), bytes),
            [WebhookSignature.TimestampHeader] = timestamp,
        };
        switch (failure)
        {
            case "missing signature":
                headers.Remove(WebhookSignature.SignatureHeader);
                break;
            case "missing timestamp":
                headers.Remove(WebhookSignature.TimestampHeader);
                break;
            case "wrong secret":
                headers[WebhookSignature.SignatureHeader] = WebhookSignature.Sign("not-the-secret", now.ToUnixTimeSeconds(), bytes);
                break;
            case "chat secret":
                headers[WebhookSignature.SignatureHeader] = WebhookSignature.Sign(ChatSecret, now.ToUnixTimeSeconds(), bytes);
                break;
            case "voicemail secret":
                headers[WebhookSignature.SignatureHeader] = WebhookSignature.Sign(VoicemailSecret, now.ToUnixTimeSeconds(), bytes);
                break;
            case "tampered body":
                bytes = Encoding.UTF8.GetBytes(body + "\n");
                break;
            case "stale timestamp":
            case "future timestamp":
                var at = now.AddMinutes(failure == "stale timestamp" ? -6 : 6).ToUnixTimeSeconds();
                headers[WebhookSignature.SignatureHeader] = WebhookSignature.Sign(secret, at, bytes);
                headers[WebhookSignature.TimestampHeader] = at.ToString(CultureInfo.InvariantCulture);
                break;
            case "timestamp not a number":
                headers[WebhookSignature.TimestampHeader] = now.ToString("O", CultureInfo.InvariantCulture);
                break;
            case "signature not hex":
                headers[WebhookSignature.SignatureHeader] = "sha256=" + new string('z', 64);
                break;
            case "signature without scheme":
                headers[WebhookSignature.SignatureHeader] = headers[WebhookSignature.SignatureHeader]["sha256=".Length..];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(failure), failure, null);
        }

        return Request(route, bytes, headers);
    }

    public static HttpRequest Request(string route, byte[] body, IDictionary<string, string> headers)
    {
        var request = HttpCall.Request("POST", route, string.Empty, headers: headers);
        request.Body = new MemoryStream(body);
        request.ContentLength = body.Length;
        return request;
    }

    /// <summary>
    /// The tickets stored in the app's database: every number the sequence handed out, read by id. (Not a COUNT query:
    /// tools/cosmos-local fails queries on a database whose resource id contains '/', e.g. the 63rd one a server creates.)
    /// </summary>
    public static async Task<IReadOnlyList<Ticket>> StoredTicketsAsync(TestApp app)
    {
        using var counter = await app.Store.Sequences.ReadItemStreamAsync(TicketSequence.CounterId, new PartitionKey(TicketSequence.CounterId));
        if (counter.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        var last = (await JsonDocument.ParseAsync(counter.Content)).RootElement.GetProperty("value").GetInt64();
        var tickets = new List<Ticket>();
        for (var number = TicketSequence.Seed + 1; number <= last; number++)
        {
            if (await app.Get<TicketStore>().FindAsync(TicketNumber.Format(number)) is { } ticket)
            {
                tickets.Add(ticket);
            }
        }

        return tickets;
    }

    /// <summary>
    /// No ticket number was ever handed out: intake claims a number before it stores a key or a ticket. (The counter
    /// document exists once a directory is loaded, since it names the current one, so its value is what counts.)
    /// </summary>
    public static async Task ShouldHaveStoredNothingAsync(TestApp app)
    {
        using var counter = await app.Store.Sequences.ReadItemStreamAsync(TicketSequence.CounterId, new PartitionKey(TicketSequence.CounterId));
        if (counter.StatusCode != HttpStatusCode.NotFound)
        {
            (await JsonDocument.ParseAsync(counter.Content)).RootElement.GetProperty("value").GetInt64()
                .ShouldBe(TicketSequence.Seed, "no ticket number was allocated, so no intake key or ticket was stored");
        }
    }

    private static string Fixture(string channel, string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", channel, name));

    private static JsonNode Step(JsonNode node, string segment)
    {
        var (name, index) = Segment(segment);
        var child = node[name] ?? throw new ArgumentException($"No property '{name}'.", nameof(segment));
        return index is { } i ? child[i]! : child;
    }

    private static (string Name, int? Index) Segment(string segment)
    {
        var match = IndexedSegment().Match(segment);
        return match.Success
            ? (match.Groups["name"].Value, int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture))
            : (segment, null);
    }

    [GeneratedRegex(@"^(?<name>[^\[]+)\[(?<index>\d+)\]$")]
    private static partial Regex IndexedSegment();
}
