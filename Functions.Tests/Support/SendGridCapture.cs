using System.Text.Json;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Escalation.Tests.Support;

/// <summary>One e-mail as SendGrid received it.</summary>
internal sealed record CapturedMail(IReadOnlyList<string> To, IReadOnlyList<string> Cc, string Subject, string Text, string MessageId,
    IReadOnlyList<string?> ToNames);

/// <summary>A local SendGrid v3 stand-in on 127.0.0.1 that accepts every mail and lets tests read what was sent.</summary>
internal sealed class SendGridCapture : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });

    public SendGridCapture() =>
        _server.Given(Request.Create().WithPath("/v3/mail/send").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(202));

    public string BaseUrl => _server.Url!;

    public IReadOnlyList<CapturedMail> Mails =>
        _server.LogEntries
            .Where(e => e.RequestMessage.Path == "/v3/mail/send")
            .Select(e => Parse(e.RequestMessage.Body!))
            .ToList();

    /// <summary>Makes SendGrid answer 500 from now on (a provider outage).</summary>
    public void FailAll() =>
        _server.Given(Request.Create().WithPath("/v3/mail/send").UsingPost()).AtPriority(0)
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("""{"errors":[{"message":"outage"}]}"""));

    public void Dispose() => _server.Stop();

    private static CapturedMail Parse(string body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var personalization = root.GetProperty("personalizations")[0];
        static List<string> Addresses(JsonElement parent, string name) =>
            parent.TryGetProperty(name, out var list) ? list.EnumerateArray().Select(a => a.GetProperty("email").GetString()!).ToList() : [];
        var text = root.GetProperty("content").EnumerateArray().First(c => c.GetProperty("type").GetString() == "text/plain").GetProperty("value").GetString()!;
        var messageId = personalization.TryGetProperty("headers", out var headers) && headers.TryGetProperty("Message-ID", out var id) ? id.GetString()! : string.Empty;
        var names = personalization.GetProperty("to").EnumerateArray()
            .Select(a => a.TryGetProperty("name", out var name) ? name.GetString() : null).ToList();
        return new CapturedMail(Addresses(personalization, "to"), Addresses(personalization, "cc"), root.GetProperty("subject").GetString()!, text, messageId,
            names);
    }
}
