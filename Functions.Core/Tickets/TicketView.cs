namespace Escalation.Core.Tickets;

public enum SlaStatus
{
    /// <summary>No first response yet and the deadline has not passed.</summary>
    Pending,
    Met,
    Breached,
}

/// <summary>The first-response SLA of a ticket as its readers see it.</summary>
public sealed record SlaState(SlaStatus Status, DateTimeOffset DueAt, DateTimeOffset? FirstResponseAt, DateTimeOffset? EscalatedAt)
{
    public static SlaState Of(Ticket ticket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var status = ticket.FirstResponseAt switch
        {
            { } responded when responded <= ticket.SlaDueAt => SlaStatus.Met,
            { } => SlaStatus.Breached,
            null when ticket.EscalatedAt is not null || now > ticket.SlaDueAt => SlaStatus.Breached,
            null => SlaStatus.Pending,
        };
        return new SlaState(status, ticket.SlaDueAt, ticket.FirstResponseAt, ticket.EscalatedAt);
    }
}

/// <summary>A ticket with its history and SLA state, as the read endpoint returns it.</summary>
public sealed record TicketView(
    string TicketNumber,
    Channel Channel,
    TicketStatus Status,
    Priority Priority,
    string Subject,
    string Description,
    string? Category,
    Requester Requester,
    Assignment Assignment,
    bool NeedsTriage,
    IReadOnlyList<string> Flags,
    IReadOnlyDictionary<string, string> Details,
    IReadOnlyList<AttachmentInfo> Attachments,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ResolvedAt,
    SlaState Sla,
    IReadOnlyList<HistoryEntry> History)
{
    public static TicketView Of(Ticket ticket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return new TicketView(ticket.Number, ticket.Channel, ticket.Status, ticket.Priority, ticket.Subject, ticket.Description,
            ticket.Category, ticket.Requester, ticket.Assignment, ticket.NeedsTriage, ticket.Flags, ticket.Details, ticket.Attachments, ticket.CreatedAt, ticket.ResolvedAt,
            SlaState.Of(ticket, now), ticket.History);
    }
}
