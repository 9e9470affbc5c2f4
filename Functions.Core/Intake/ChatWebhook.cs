using System.Text.RegularExpressions;
using Ardalis.Result;
using Escalation.Core.Tickets;

namespace Escalation.Core.Intake;

/// <summary>
/// One message of a chat conversation as the chat platform's bot forwards it (POST /api/intake/chat). The first message
/// of a conversation opens a ticket; later ones are added to it; the same message id is handled once.
/// </summary>
public sealed partial record ChatWebhook(
    string? Platform,
    string? ConversationId,
    string? MessageId,
    ChatUser? User,
    string? Text,
    string? Timestamp)
{
    /// <summary>The subject is the text's first line, cut at a word boundary to this length.</summary>
    public const int SubjectMaxLength = 80;

    public const int IdMaxLength = 500;
    public const int NameMaxLength = 200;
    public const int EmailMaxLength = 320;

    /// <summary>Deserializes the raw body; malformed JSON or a wrong type is an invalid result naming the field.</summary>
    public static Result<ChatWebhook> Parse(ReadOnlySpan<byte> json) => WebhookJson.Parse<ChatWebhook>(json);

    /// <summary>The raw body to an intake message (<see cref="Parse"/>, then <see cref="ToIntakeMessage"/>).</summary>
    public static Result<IntakeMessage> ReadMessage(ReadOnlySpan<byte> json)
    {
        var webhook = Parse(json);
        return webhook.IsSuccess ? webhook.Value.ToIntakeMessage() : Result<IntakeMessage>.Invalid(webhook.ValidationErrors);
    }

    /// <summary>
    /// The intake message: delivery key "{platform}:{messageId}", thread key "chat:{platform}:{conversationId}", and the
    /// platform's claim about the user (directory person id and/or e-mail). Missing or malformed fields are invalid.
    /// </summary>
    public Result<IntakeMessage> ToIntakeMessage()
    {
        var errors = new FieldErrors();
        var platform = Platform?.Trim().ToLowerInvariant();
        errors.Check(platform is not null && PlatformName().IsMatch(platform), "platform",
            "'platform' is required: 1 to 40 letters, digits, '.', '_' or '-' (e.g. \"teams\").");
        errors.Required(ConversationId, "conversationId", IdMaxLength);
        errors.Required(MessageId, "messageId", IdMaxLength);
        if (errors.Check(User is not null, "user", "'user' is required."))
        {
            errors.Check(!string.IsNullOrWhiteSpace(User!.Id) || !string.IsNullOrWhiteSpace(User.Email), "user",
                "'user' needs an 'id' or an 'email'.");
            errors.Optional(User.Id, "user.id", IdMaxLength);
            errors.Optional(User.Email, "user.email", EmailMaxLength);
            errors.Optional(User.Name, "user.name", NameMaxLength);
        }

        errors.Required(Text, "text", IntakeLimits.DescriptionMaxLength);
        errors.Check(WebhookJson.TryParseTimestamp(Timestamp, out _), "timestamp",
            "'timestamp' is required as an ISO 8601 date and time, e.g. 2026-11-27T10:00:00Z.");
        if (errors.Any)
        {
            return errors.ToResult<IntakeMessage>();
        }

        var conversationId = ConversationId!.Trim();
        var text = Text!.Trim();
        return new IntakeMessage(Channel.Chat, $"{platform}:{MessageId!.Trim()}",
            new RequesterClaim(Blank(User!.Id), Blank(User.Name), Blank(User.Email)), SubjectFrom(text), text)
        {
            ThreadKey = $"chat:{platform}:{conversationId}",
            Details = new Dictionary<string, string>
            {
                ["platform"] = platform!,
                ["conversationId"] = conversationId,
            },
        };
    }

    /// <summary>
    /// The first line that has any text, with runs of white space made single spaces; longer than
    /// <see cref="SubjectMaxLength"/>, it is cut at the last space in the second half of the limit (or hard at the
    /// limit) and ends with an ellipsis.
    /// </summary>
    public static string SubjectFrom(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = text.Split('\n').Select(Collapse).FirstOrDefault(l => l.Length > 0) ?? string.Empty;
        if (line.Length <= SubjectMaxLength)
        {
            return line;
        }

        var cut = WebhookJson.Cut(line, SubjectMaxLength - 1);
        var space = line[cut.Length] == ' ' ? cut.Length : cut.LastIndexOf(' ');
        return (space >= SubjectMaxLength / 2 ? cut[..space] : cut).TrimEnd() + "…";
    }

    private static string Collapse(string line) =>
        string.Join(' ', line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,39}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlatformName();
}

/// <summary>Who wrote the message, as the chat platform vouches: the directory person id and/or the e-mail address.</summary>
public sealed record ChatUser(string? Id, string? Email, string? Name);

/// <summary>The webhook's answer: the ticket, what happened, and a short text for the bot to post in the conversation.</summary>
public sealed record ChatIntakeResponse(string TicketNumber, IntakeOutcome Outcome, string Reply)
{
    /// <summary>The answer to <paramref name="message"/>; the reply greets the sender by the first word of their chat name.</summary>
    public static ChatIntakeResponse For(IntakeReceipt receipt, IntakeMessage message)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(message);
        var number = receipt.TicketNumber;
        var reply = receipt.Outcome switch
        {
            IntakeOutcome.Created => FirstName(message.Requester.DisplayName) is { } name
                ? $"Thanks, {name}. Your request is ticket {number}; we will reply here."
                : $"Thanks. Your request is ticket {number}; we will reply here.",
            IntakeOutcome.Appended => $"Added to ticket {number}.",
            _ => $"Already received; this is ticket {number}.",
        };
        return new ChatIntakeResponse(number, receipt.Outcome, reply);
    }

    private static string? FirstName(string? name)
    {
        var first = name?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first is null || first.Length > 40 ? null : first;
    }
}
