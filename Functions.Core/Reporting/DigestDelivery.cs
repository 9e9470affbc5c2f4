using System.Text.Json.Serialization;

namespace Escalation.Core.Reporting;

public enum DigestState
{
    /// <summary>Claimed for the week, not sent yet (or a send that may or may not have reached the provider).</summary>
    Pending,

    Sent,

    /// <summary>The provider refused it for good (e.g. an invalid address); not retried.</summary>
    Rejected,

    /// <summary>The recipient left the directory or has no e-mail address; nothing to send.</summary>
    NoAddress,
}

/// <summary>
/// The claim of one recipient's digest of one week, in the reporting container: created if absent before anything is
/// sent, so it exists once per recipient and week whatever runs concurrently. Carries the Message-ID every attempt
/// sends with, and the lease of the attempt sending it (ETag-guarded), like a ticket's notice deliveries (ADR 3).
/// </summary>
public sealed class DigestDelivery
{
    public const string Kind = "digest";

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("kind")]
    public string DocumentKind { get; init; } = Kind;

    /// <summary>The Monday of the digest's week, yyyy-MM-dd: the container indexes kind and day, so pending claims are one query.</summary>
    public required string Day { get; init; }

    public required string Week { get; init; }

    public required string RecipientId { get; init; }

    public required DateOnly PeriodFrom { get; init; }

    public required DateOnly PeriodTo { get; init; }

    public required string MessageId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DigestState State { get; set; }

    /// <summary>When the attempt sending it took the lease; null when no attempt has started or the last one surely failed.</summary>
    public DateTimeOffset? ClaimedAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public string? Failure { get; set; }

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }

    [JsonIgnore]
    public ReportPeriod Period => new(PeriodFrom, PeriodTo);

    public static string IdFor(string week, string recipientId) => $"digest|{week}|{recipientId}";
}
