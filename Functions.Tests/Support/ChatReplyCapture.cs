using System.Collections.Concurrent;
using System.Text.Json;
using Escalation.Core.Intake;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace Escalation.Tests.Support;

/// <summary>One reply as the chat platform's outbound webhook received it, with the signature headers it came with.</summary>
internal sealed record CapturedChatReply(JsonElement Body, string RawBody, string? Signature, string? Timestamp)
{
    public string Text => Body.GetProperty("text").GetString()!;

    public string MessageId => Body.GetProperty("messageId").GetString()!;

    public string ConversationId => Body.GetProperty("conversationId").GetString()!;
}

/// <summary>
/// A stand-in for the chat platform's outbound webhook on 127.0.0.1: takes every reply unless told to answer with a
/// status (an outage, a gone conversation, a refusal), and keeps what it took, de-duplicated by messageId as the
/// documented adapter does.
/// </summary>
internal sealed class ChatReplyCapture : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
    private readonly ConcurrentQueue<CapturedChatReply> _accepted = new();
    private readonly Lock _gate = new();
    private int _failuresLeft;
    private int _failureStatus;
    private int _attempts;

    public ChatReplyCapture()
    {
        _server.Given(Request.Create().WithPath("/replies").UsingPost()).RespondWith(Response.Create().WithCallback(Receive));
    }

    public string Url => $"{_server.Url}/replies";

    public IReadOnlyList<CapturedChatReply> Replies => [.. _accepted];

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Answers the next <paramref name="count"/> posts with <paramref name="status"/>.</summary>
    public void FailNext(int count, int status)
    {
        lock (_gate)
        {
            (_failuresLeft, _failureStatus) = (count, status);
        }
    }

    /// <summary>Whether the signature headers match <paramref name="secret"/> over the exact body, as the adapter checks.</summary>
    public static bool IsSigned(CapturedChatReply reply, string secret) =>
        WebhookSignature.Verify(secret, reply.Signature, reply.Timestamp, System.Text.Encoding.UTF8.GetBytes(reply.RawBody), DateTimeOffset.UtcNow,
            TimeSpan.FromMinutes(5)) is null;

    public void Dispose() => _server.Stop();

    private static string? Header(IRequestMessage request, string name) =>
        request.Headers is { } headers && headers.TryGetValue(name, out var values) ? values.FirstOrDefault() : null;

    private ResponseMessage Receive(IRequestMessage request)
    {
        Interlocked.Increment(ref _attempts);
        lock (_gate)
        {
            if (_failuresLeft > 0)
            {
                _failuresLeft--;
                return new ResponseMessage { StatusCode = _failureStatus, BodyData = new BodyData { BodyAsString = "no", DetectedBodyType = BodyType.String } };
            }
        }

        var raw = request.Body!;
        var reply = new CapturedChatReply(JsonDocument.Parse(raw).RootElement.Clone(), raw,
            Header(request, WebhookSignature.SignatureHeader), Header(request, WebhookSignature.TimestampHeader));
        if (!_accepted.Any(r => r.MessageId == reply.MessageId))
        {
            _accepted.Enqueue(reply);
        }

        return new ResponseMessage { StatusCode = 200, BodyData = new BodyData { BodyAsString = "{}", DetectedBodyType = BodyType.String } };
    }
}
