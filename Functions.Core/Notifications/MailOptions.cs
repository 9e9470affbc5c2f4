using System.ComponentModel.DataAnnotations;

namespace Escalation.Core.Notifications;

/// <summary>Outgoing e-mail through SendGrid (configuration section "Mail").</summary>
public sealed class MailOptions : IValidatableObject
{
    public const string SectionName = "Mail";
    public const string SendGridHost = "https://api.sendgrid.com";

    /// <summary>SendGrid's API, or a local capture server in development and tests.</summary>
    [Required]
    [Url]
    public string SendGridBaseUrl { get; set; } = SendGridHost;

    /// <summary>Required for SendGrid itself (a Key Vault reference in Azure); a local capture server accepts any.</summary>
    public string? SendGridApiKey { get; set; }

    [Required]
    [EmailAddress]
    public string FromAddress { get; set; } = "servicedesk@example.edu";

    [Required]
    public string FromName { get; set; } = "IT Service Desk";

    /// <summary>
    /// Where the requester's answers to the desk's mails go (the Reply-To of replies and resolutions): the Inbound Parse
    /// address, so an answer comes back to its ticket. Empty: <see cref="FromAddress"/>.
    /// </summary>
    [EmailAddress]
    public string? ReplyToAddress { get; set; }

    /// <summary>The domain part of the Message-IDs the system generates.</summary>
    [Required]
    public string MessageIdDomain { get; set; } = "escalation.example.edu";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var isSendGrid = Uri.TryCreate(SendGridBaseUrl, UriKind.Absolute, out var uri)
            && uri.Host.EndsWith("sendgrid.com", StringComparison.OrdinalIgnoreCase);
        if (isSendGrid && string.IsNullOrWhiteSpace(SendGridApiKey))
        {
            yield return new ValidationResult("Mail:SendGridApiKey is required when mail goes to SendGrid.", [nameof(SendGridApiKey)]);
        }
    }
}
