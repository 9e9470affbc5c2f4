using System.Collections.Concurrent;
using System.Text.Json;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace Escalation.Tests.Support;

/// <summary>One e-mail as SendGrid received it.</summary>
internal sealed record CapturedMail(IReadOnlyList<string> To, IReadOnlyList<string> Cc, string Subject, string Text, string MessageId,
    IReadOnlyList<string?> ToNames, string? Html = null)
{
    /// <summary>The mail's own headers (Message-ID, In-Reply-To, References …) as sent.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string? ReplyTo { get; init; }
}

/// <summary>
/// A local SendGrid v3 stand-in on 127.0.0.1. It accepts every mail unless told to fail (an outage, throttling, a
/// refused address), keeps what it accepted, and answers the Email Activity look-up for accepted Message-IDs.
/// </summary>
internal sealed class SendGridCapture : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
    private readonly ConcurrentQueue<CapturedMail> _accepted = new();
    private readonly ConcurrentDictionary<string, bool> _refusedAddresses = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _failingAddresses = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();
    private int _failuresLeft;
    private int _failureStatus;
    private TimeSpan? _retryAfter;
    private int _attempts;

    public SendGridCapture()
    {
        _server.Given(Request.Create().WithPath("/v3/mail/send").UsingPost()).RespondWith(Response.Create().WithCallback(Send));
        _server.Given(Request.Create().WithPath("/v3/messages").UsingGet()).RespondWith(Response.Create().WithCallback(Lookup));
    }

    public string BaseUrl => _server.Url!;

    /// <summary>The mails SendGrid accepted: what recipients get.</summary>
    public IReadOnlyList<CapturedMail> Mails => [.. _accepted];

    /// <summary>Every send request, accepted or not.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Answers the next <paramref name="count"/> sends with <paramref name="status"/> (an outage, or 429 with Retry-After).</summary>
    public void FailNext(int count, int status = 500, TimeSpan? retryAfter = null)
    {
        lock (_gate)
        {
            (_failuresLeft, _failureStatus, _retryAfter) = (count, status, retryAfter);
        }
    }

    /// <summary>Answers the next <paramref name="count"/> sends to this address with 500 (a passing outage), others pass.</summary>
    public void FailNextTo(string address, int count = 1) => _failingAddresses[address] = count;

    /// <summary>Refuses, for good (400), every mail to this address.</summary>
    public void Refuse(string address) => _refusedAddresses[address] = true;

    public void Dispose() => _server.Stop();

    private ResponseMessage Send(IRequestMessage request)
    {
        Interlocked.Increment(ref _attempts);
        var mail = Parse(request.Body!);
        lock (_gate)
        {
            if (_failuresLeft > 0)
            {
                _failuresLeft--;
                var failure = Json(_failureStatus, """{"errors":[{"message":"outage"}]}""");
                if (_retryAfter is { } wait)
                {
                    failure.AddHeader("Retry-After", ((int)wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                return failure;
            }
        }

        foreach (var address in mail.To)
        {
            if (_failingAddresses.TryGetValue(address, out var left) && left > 0 && _failingAddresses.TryUpdate(address, left - 1, left))
            {
                return Json(500, """{"errors":[{"message":"outage"}]}""");
            }
        }

        if (mail.To.Any(_refusedAddresses.ContainsKey))
        {
            return Json(400, """{"errors":[{"message":"The to email does not contain a valid address.","field":"personalizations.0.to"}]}""");
        }

        _accepted.Enqueue(mail);
        return Json(202, string.Empty);
    }

    private ResponseMessage Lookup(IRequestMessage request)
    {
        var query = request.Query?.TryGetValue("query", out var values) == true ? values.ToString() : string.Empty;
        var found = _accepted.Where(m => m.MessageId.Length > 0 && query.Contains($"\"{m.MessageId}\"", StringComparison.Ordinal))
            .Select(m => new { msg_id = m.MessageId, status = "processed" });
        return Json(200, JsonSerializer.Serialize(new { messages = found }));
    }

    private static ResponseMessage Json(int status, string body)
    {
        var response = new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String },
        };
        response.AddHeader("Content-Type", "application/json");
        return response;
    }

    private static CapturedMail Parse(string body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var personalization = root.GetProperty("personalizations")[0];
        static List<string> Addresses(JsonElement parent, string name) =>
            parent.TryGetProperty(name, out var list) ? list.EnumerateArray().Select(a => a.GetProperty("email").GetString()!).ToList() : [];
        var text = root.GetProperty("content").EnumerateArray().First(c => c.GetProperty("type").GetString() == "text/plain").GetProperty("value").GetString()!;
        var html = root.GetProperty("content").EnumerateArray().FirstOrDefault(c => c.GetProperty("type").GetString() == "text/html") is { ValueKind: JsonValueKind.Object } part
            ? part.GetProperty("value").GetString()
            : null;
        var messageId = personalization.TryGetProperty("headers", out var headers) && headers.TryGetProperty("Message-ID", out var id) ? id.GetString()! : string.Empty;
        var names = personalization.GetProperty("to").EnumerateArray()
            .Select(a => a.TryGetProperty("name", out var name) ? name.GetString() : null).ToList();
        var allHeaders = personalization.TryGetProperty("headers", out var h)
            ? h.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var replyTo = root.TryGetProperty("reply_to", out var r) ? r.GetProperty("email").GetString() : null;
        return new CapturedMail(Addresses(personalization, "to"), Addresses(personalization, "cc"), root.GetProperty("subject").GetString()!, text, messageId,
            names, html) { Headers = allHeaders, ReplyTo = replyTo };
    }
}
