using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Escalation.Core.Intake;
using Microsoft.Extensions.Options;

namespace Escalation.Core.Conversation;

/// <summary>
/// What the outbound chat webhook receives (docs/channels/chat-and-voicemail.md): the conversation to post into, the
/// text, and <see cref="MessageId"/>, the same on every attempt, by which the platform's adapter drops a repeat.
/// </summary>
public sealed record ChatReply(
    string Platform,
    string ConversationId,
    string MessageId,
    string TicketNumber,
    string Kind,
    string Text,
    string? AuthorName,
    DateTimeOffset SentAt);

public enum ChatReplyOutcome
{
    Delivered,

    /// <summary>The conversation no longer exists (404, 410): the message goes by e-mail.</summary>
    ConversationGone,

    /// <summary>The platform refused this message for good (another 4xx): the message goes by e-mail.</summary>
    Refused,
}

public sealed record ChatReplyResult(ChatReplyOutcome Outcome, string? Problem = null);

public interface IChatReplySender
{
    /// <summary>Posts the reply. Throws <see cref="ChatReplyNotSentException"/> (or a network error) when retrying may help.</summary>
    Task<ChatReplyResult> SendAsync(ChatReply reply, CancellationToken cancellationToken = default);
}

/// <summary>
/// Posts replies to the chat platform's outbound webhook, signed like the inbound one (HMAC-SHA256 over
/// "{timestamp}.{body}" with <see cref="ConversationOptions.ChatReplySigningSecret"/>).
/// </summary>
public sealed class HttpChatReplySender(IHttpClientFactory httpClientFactory, IOptions<ConversationOptions> options, TimeProvider timeProvider)
    : IChatReplySender
{
    public const string HttpClientName = "ChatReplies";

    public async Task<ChatReplyResult> SendAsync(ChatReply reply, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var settings = options.Value;
        var body = JsonSerializer.SerializeToUtf8Bytes(reply, EscalationJson.Options);
        var timestamp = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.ChatReplyUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(settings.ChatReplySigningSecret!, timestamp, body));

        using var response = await httpClientFactory.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return new ChatReplyResult(ChatReplyOutcome.Delivered);
        }

        var problem = $"{status} {Shorten(await response.Content.ReadAsStringAsync(cancellationToken))}".Trim();
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound or HttpStatusCode.Gone => new ChatReplyResult(ChatReplyOutcome.ConversationGone, problem),
            HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests => throw new ChatReplyNotSentException($"The chat platform answered {problem}"),
            _ when status is >= 400 and < 500 => new ChatReplyResult(ChatReplyOutcome.Refused, problem),
            _ => throw new ChatReplyNotSentException($"The chat platform answered {problem}"),
        };
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200];
}

/// <summary>The chat platform did not take the reply this time (throttled, unavailable): the activity fails and Durable retries it.</summary>
public sealed class ChatReplyNotSentException : Exception
{
    public ChatReplyNotSentException()
    {
    }

    public ChatReplyNotSentException(string message)
        : base(message)
    {
    }

    public ChatReplyNotSentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
