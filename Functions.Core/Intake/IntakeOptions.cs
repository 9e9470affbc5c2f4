using System.ComponentModel.DataAnnotations;

namespace Escalation.Core.Intake;

/// <summary>Channel webhooks (configuration section "Intake"). Secrets are Key Vault references in Azure.</summary>
public sealed class IntakeOptions
{
    public const string SectionName = "Intake";

    /// <summary>SendGrid Inbound Parse authenticates with this secret as `?key=` in the URL or as the basic-auth password.</summary>
    public string? EmailWebhookSecret { get; set; }

    /// <summary>HMAC-SHA256 key of the chat platform's webhook signatures.</summary>
    public string? ChatSigningSecret { get; set; }

    /// <summary>HMAC-SHA256 key of the voicemail transcription pipeline's webhook signatures.</summary>
    public string? VoicemailSigningSecret { get; set; }

    /// <summary>How far a signed request's timestamp may be from now (replay protection).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>E-mails with a SpamAssassin score above this are quarantined: recorded, not ticketed.</summary>
    [Range(0, 100)]
    public double MaxSpamScore { get; set; } = 5.0;

    /// <summary>Largest attachment kept in blob storage; larger ones are noted in the history, not stored.</summary>
    [Range(1, long.MaxValue)]
    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Largest e-mail (the whole webhook body) accepted; above it the webhook answers 413.</summary>
    [Range(1, long.MaxValue)]
    public long MaxEmailBytes { get; set; } = 30 * 1024 * 1024;

    /// <summary>
    /// Voicemail transcripts whose confidence (the duration-weighted mean of each recognized phrase's best n-best
    /// confidence) is below this, or unknown, are flagged for a person to listen to.
    /// </summary>
    [Range(0.0, 1.0)]
    public double MinTranscriptConfidence { get; set; } = 0.6;
}
