using System.Text.Json.Serialization;

namespace Escalation.Core.Tickets;

/// <summary>Older entries of a long ticket's history, moved out of the ticket document (page 0 is the oldest).</summary>
public sealed record TicketHistoryPage(
    [property: JsonPropertyName("id")] string Id,
    string TicketNumber,
    int Page,
    IReadOnlyList<HistoryEntry> Entries)
{
    public static string IdFor(string ticketNumber, int page) => $"{ticketNumber}:history:{page}";
}
