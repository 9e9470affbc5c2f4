using System.Text.Json.Serialization;
using Escalation.Core.Sla;
using Escalation.Core.Tickets;

namespace Escalation.Core.Worklist;

/// <summary>
/// One open ticket in the agents' worklist (container "worklist", ADR 14): the few fields the views filter, sort and
/// show, kept by the reporting projection from the tickets' change feed. A resolved ticket has no entry, so the
/// worklist's size is the number of open tickets, however many were ever stored. All entries share one logical
/// partition (<see cref="Partition"/>), so every view is a single-partition query.
/// </summary>
public sealed record WorklistEntry(
    [property: JsonPropertyName("id")] string TicketNumber,
    string Subject,
    string SubjectSearch,
    string RequesterName,
    string TeamId,
    string? AgentId,
    bool Assigned,
    TicketStatus Status,
    Priority Priority,
    int PriorityRank,
    Channel Channel,
    DateTimeOffset CreatedAt,
    DateTimeOffset SlaDueAt,
    DateTimeOffset HalfwayAt,
    bool Answered,
    bool AwaitingDesk,
    DateTimeOffset LastActivityAt,
    string Partition = WorklistEntry.OpenPartition)
{
    /// <summary>The one partition key value of the worklist: a few thousand small entries fit one logical partition many times over.</summary>
    public const string OpenPartition = "open";

    /// <summary>The entry of an open ticket; null for a resolved one (it leaves the worklist).</summary>
    public static WorklistEntry? For(Ticket ticket, BusinessCalendar? calendar)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.IsResolved)
        {
            return null;
        }

        var window = BusinessCalendar.Between(calendar, ticket.CreatedAt, ticket.SlaDueAt);
        var halfway = calendar is null ? ticket.CreatedAt + (window / 2) : calendar.Add(ticket.CreatedAt, window / 2);
        var lastActivity = ticket.History.Count == 0 ? ticket.CreatedAt : ticket.History.Max(h => h.At);
        return new WorklistEntry(ticket.Number, ticket.Subject, ticket.Subject.ToLowerInvariant(), ticket.Requester.DisplayName,
            ticket.Assignment.TeamId, ticket.Assignment.AgentId, ticket.Assignment.AgentId is not null, ticket.Status, ticket.Priority,
            (int)ticket.Priority, ticket.Channel, ticket.CreatedAt.ToUniversalTime(), ticket.SlaDueAt.ToUniversalTime(), halfway.ToUniversalTime(),
            ticket.FirstResponseAt is not null, ticket.AwaitingDeskSince is not null, lastActivity.ToUniversalTime());
    }
}
