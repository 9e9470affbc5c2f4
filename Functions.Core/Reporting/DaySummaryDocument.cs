using System.Text.Json.Serialization;

namespace Escalation.Core.Reporting;

/// <summary>
/// What the reports need of one day, a few kilobytes whatever the day's ticket count (ADR 10): counters per team ×
/// agent with the sorted first-response times (percentiles cannot be summed, sorted seconds can be merged), tickets
/// per requester unit, and counters per requester × team. Always recomputed from its <see cref="DayDocument"/> and
/// written with it, so it restates, never increments; the day document keeps the tickets for the drill-downs.
/// </summary>
public sealed class DaySummaryDocument
{
    public const string Kind = "summary";

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("kind")]
    public string DocumentKind { get; init; } = Kind;

    public required string Day { get; init; }

    public IReadOnlyList<SummaryCell> Cells { get; init; } = [];

    public Dictionary<string, int> UnitTickets { get; init; } = [];

    public IReadOnlyList<RequesterCell> Requesters { get; init; } = [];

    public static string IdFor(string day) => $"summary|{day}";

    public static DaySummaryDocument Of(DayDocument day)
    {
        ArgumentNullException.ThrowIfNull(day);
        var tickets = day.Tickets.Values;
        return new DaySummaryDocument
        {
            Id = IdFor(day.Day),
            Day = day.Day,
            Cells = [.. tickets
                .GroupBy(t => (t.TeamId, t.AgentId))
                .OrderBy(g => g.Key.TeamId, StringComparer.Ordinal).ThenBy(g => g.Key.AgentId, StringComparer.Ordinal)
                .Select(g => new SummaryCell(
                    g.Key.TeamId,
                    g.Key.AgentId,
                    g.Count(),
                    g.Count(t => t.Met == true),
                    g.Count(t => t.Met == false),
                    g.Count(t => t.AutoEscalated),
                    g.Sum(t => t.ManagerEscalations),
                    [.. g.Where(t => t.ResponseSeconds is not null).Select(t => (long)t.ResponseSeconds!.Value).Order()]))],
            UnitTickets = tickets.Where(t => t.UnitId is not null)
                .GroupBy(t => t.UnitId!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            Requesters = [.. day.Requests.Values
                .GroupBy(r => (r.RequesterId, r.TeamId))
                .OrderBy(g => g.Key.RequesterId, StringComparer.Ordinal).ThenBy(g => g.Key.TeamId, StringComparer.Ordinal)
                .Select(g =>
                {
                    var latest = g.OrderBy(r => r.At).ThenBy(r => r.EscalationId, StringComparer.Ordinal).Last();
                    return new RequesterCell(g.Key.RequesterId, g.Key.TeamId, latest.Name, latest.UnitId, latest.At,
                        g.Count(), g.Count(r => r.Merged), g.Count(r => r.InsideSla));
                })],
        };
    }
}

/// <summary>
/// One team × agent of a day, under short names: opened, met, breached, automatically escalated, manager escalations,
/// and the first-response (or resolution) times in whole seconds, sorted.
/// </summary>
public sealed record SummaryCell(
    [property: JsonPropertyName("t")] string TeamId,
    [property: JsonPropertyName("a")] string? AgentId,
    [property: JsonPropertyName("o")] int Opened,
    [property: JsonPropertyName("m")] int Met,
    [property: JsonPropertyName("b")] int Breached,
    [property: JsonPropertyName("e")] int AutoEscalated,
    [property: JsonPropertyName("g")] int ManagerEscalations,
    [property: JsonPropertyName("r")] IReadOnlyList<long> ResponseSeconds);

/// <summary>One requester's escalation requests of a day on one team's tickets, with the name and unit of the latest.</summary>
public sealed record RequesterCell(
    string RequesterId,
    string TeamId,
    string Name,
    string? UnitId,
    DateTimeOffset LatestAt,
    int Requested,
    int Merged,
    int InsideSla);
