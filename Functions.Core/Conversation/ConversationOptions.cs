using System.ComponentModel.DataAnnotations;

namespace Escalation.Core.Conversation;

/// <summary>The conversation with the requester (configuration section "Conversation"). Secrets are Key Vault references in Azure.</summary>
public sealed class ConversationOptions : IValidatableObject
{
    public const string SectionName = "Conversation";

    /// <summary>A requester's reply within this long after the resolution reopens the ticket; later ones are only recorded.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan ReopenWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The chat platform's outbound webhook that posts the desk's replies into the conversation a ticket came from
    /// (docs/channels/chat-and-voicemail.md). Empty: replies to chat tickets go by e-mail.
    /// </summary>
    public string? ChatReplyUrl { get; set; }

    /// <summary>HMAC-SHA256 key that signs the outbound chat webhook's requests, as the inbound ones are signed.</summary>
    public string? ChatReplySigningSecret { get; set; }

    public bool ChatRepliesEnabled => !string.IsNullOrWhiteSpace(ChatReplyUrl);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!ChatRepliesEnabled)
        {
            yield break;
        }

        if (!Uri.TryCreate(ChatReplyUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            yield return new ValidationResult("Conversation:ChatReplyUrl must be an absolute http(s) URL.", [nameof(ChatReplyUrl)]);
        }

        if (!Intake.WebhookSignature.IsConfigured(ChatReplySigningSecret))
        {
            yield return new ValidationResult(
                "Conversation:ChatReplySigningSecret is required when Conversation:ChatReplyUrl is set (an unresolved Key Vault reference does not count).",
                [nameof(ChatReplySigningSecret)]);
        }
    }
}
