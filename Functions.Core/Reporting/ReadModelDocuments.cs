using System.Text.Json.Serialization;
using Escalation.Core.Tickets;

namespace Escalation.Core.Reporting;

/// <summary>
/// One calendar day of the reporting read model (ADR 10): what is known of every ticket opened that day, and every
/// escalation request made that day. Entries are keyed (ticket number; with escalation id and request index), so applying
/// the same ticket version twice changes nothing, and a report reads one document per day, whatever the ticket count.
/// </summary>
public sealed class DayDocument
{
    public const string Kind = "day";

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("kind")]
    public string DocumentKind { get; init; } = Kind;

    /// <summary>yyyy-MM-dd in the business calendar's time zone; ids and days sort alike.</summary>
    public required string Day { get; init; }

    public Dictionary<string, DayTicket> Tickets { get; init; } = [];

    public Dictionary<string, DayRequest> Requests { get; init; } = [];

    private const string DayFormat = "yyyy-MM-dd";

    public static string IdFor(DateOnly day) => IdFor(Format(day));

    public static string IdFor(string day) => $"day|{day}";

    public static string Format(DateOnly day) => day.ToString(DayFormat, System.Globalization.CultureInfo.InvariantCulture);

    public static DateOnly Parse(string day) => DateOnly.ParseExact(day, DayFormat, System.Globalization.CultureInfo.InvariantCulture);

    public static DayDocument For(DateOnly day) => new() { Id = IdFor(day), Day = Format(day) };
}

/// <summary>
/// A ticket as the reports count it, under short property names (a day holds hundreds of them): team and agent that
/// answered for the first response, the requester's unit, the first-response (or resolution) time in seconds,
/// met (true) or breached (false, null while the clock runs), automatically escalated, manager escalations.
/// </summary>
public sealed record DayTicket(
    [property: JsonPropertyName("t")] string TeamId,
    [property: JsonPropertyName("a")] string? AgentId,
    [property: JsonPropertyName("u")] string? UnitId,
    [property: JsonPropertyName("r")] double? ResponseSeconds,
    [property: JsonPropertyName("m")] bool? Met,
    [property: JsonPropertyName("e")] bool AutoEscalated,
    [property: JsonPropertyName("g")] int ManagerEscalations);

/// <summary>One escalation request (a merged one included) with the team that held the ticket.</summary>
public sealed record DayRequest(
    string RequesterId,
    string Name,
    string? UnitId,
    string Ticket,
    string EscalationId,
    string TeamId,
    DateTimeOffset At,
    bool Merged,
    bool InsideSla,
    EscalationChannel Channel,
    string Justification);

/// <summary>The open tickets still waiting for their first response (for the at-risk figures and warnings).</summary>
public sealed class PendingDocument
{
    public const string DocumentId = "pending";

    [JsonPropertyName("id")]
    public string Id { get; init; } = DocumentId;

    public Dictionary<string, PendingTicket> Tickets { get; init; } = [];
}

/// <summary>A ticket waiting for its first response; <see cref="Warned"/> once the at-risk warning went out.</summary>
public sealed record PendingTicket(string TeamId, string? AgentId, DateTimeOffset CreatedAt, DateTimeOffset DueAt, bool Warned);

/// <summary>
/// Where the projection is in the tickets' change feed, and who may move it: the projector and the rebuild take the
/// lease with an ETag-guarded write, so only one of them writes the read model at a time.
/// </summary>
public sealed class CheckpointDocument
{
    public const string DocumentId = "checkpoint";

    [JsonPropertyName("id")]
    public string Id { get; init; } = DocumentId;

    /// <summary>
    /// The read model's shape when this continuation was written (<see cref="CurrentVersion"/>; 0 before versions). A
    /// projector finding an older one replays the change feed from the beginning, which rewrites every day in the
    /// current shape (version 2 added the day summaries).
    /// </summary>
    public const int CurrentVersion = 2;

    public int Version { get; set; }

    public string? Continuation { get; set; }

    public string? Owner { get; set; }

    public DateTimeOffset LeaseUntil { get; set; }

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}
