namespace Escalation.Core.Tickets;

public enum SlaStatus
{
    /// <summary>No first response yet and the deadline has not passed.</summary>
    Pending,
    Met,
    Breached,
}

/// <summary>
/// The first-response SLA of a ticket as its readers see it. The clock stops at the first response or, when the
/// ticket is resolved without a separate response, at its resolution: a ticket resolved inside its window met it.
/// </summary>
public sealed record SlaState(SlaStatus Status, DateTimeOffset DueAt, DateTimeOffset? FirstResponseAt, DateTimeOffset? EscalatedAt)
{
    public static SlaState Of(Ticket ticket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var status = ClockStoppedAt(ticket) switch
        {
            { } stopped when stopped <= ticket.SlaDueAt => SlaStatus.Met,
            { } => SlaStatus.Breached,
            null when ticket.EscalatedAt is not null || now > ticket.SlaDueAt => SlaStatus.Breached,
            null => SlaStatus.Pending,
        };
        return new SlaState(status, ticket.SlaDueAt, ticket.FirstResponseAt, ticket.EscalatedAt);
    }

    /// <summary>When the response clock stopped: the earlier of the first response and the resolution.</summary>
    public static DateTimeOffset? ClockStoppedAt(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return (ticket.FirstResponseAt, ticket.ResolvedAt) switch
        {
            ({ } responded, { } resolved) => responded < resolved ? responded : resolved,
            ({ } responded, null) => responded,
            (null, var resolved) => resolved,
        };
    }
}

/// <summary>
/// A ticket with its recent history and SLA state, as the read endpoint returns it. Older history of a long ticket is in
/// <see cref="HistoryPages"/> pages, read one by one (page 0 is the oldest).
/// </summary>
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
    IReadOnlyList<HistoryEntry> History,
    int HistoryPages,
    IReadOnlyList<EscalationView> Escalations)
{
    /// <summary>
    /// How the conversation's messages went out (staff only): delivered, by which route, failed for good and why, or
    /// "call back" when nothing can reach the requester. Null in the public view.
    /// </summary>
    public IReadOnlyList<OutgoingMessage>? Deliveries { get; init; }

    /// <summary>The names of the people and teams the view mentions by id (actors, agent, team, coordinators), for people to read.</summary>
    public IReadOnlyDictionary<string, string> Names { get; init; } = new Dictionary<string, string>();

    /// <summary>The ticket as a reader with <paramref name="visibility"/> sees it (the public view leaves out internal history).</summary>
    public static TicketView Of(Ticket ticket, DateTimeOffset now, TicketVisibility visibility = TicketVisibility.Everything,
        Func<string, string?>? nameOf = null)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var everything = visibility == TicketVisibility.Everything;
        var history = everything ? ticket.History : ticket.History.Where(TicketAccessPolicy.IsPublic).ToList();
        var escalations = ticket.Escalations.Select(e => EscalationView.Of(e, visibility)).ToList();
        return new TicketView(ticket.Number, ticket.Channel, ticket.Status, ticket.Priority, ticket.Subject, ticket.Description,
            ticket.Category, ticket.Requester, ticket.Assignment, ticket.NeedsTriage, ticket.Flags, ticket.Details, ticket.Attachments, ticket.CreatedAt, ticket.ResolvedAt,
            SlaState.Of(ticket, now), history, ticket.HistoryPages, escalations)
        {
            Deliveries = everything ? ticket.Outgoing.Select(o => o with { Text = null }).ToList() : null,
            Names = nameOf is null ? new Dictionary<string, string>() : NamesOf(
                [.. history.Select(h => h.Actor), .. history.Select(h => h.Data?.GetValueOrDefault("teamId")),
                    .. history.Select(h => h.Data?.GetValueOrDefault("agentId")), ticket.Assignment.AgentId, ticket.Assignment.TeamId,
                    .. escalations.Select(e => e.CoordinatorId)], nameOf),
        };
    }

    private static Dictionary<string, string> NamesOf(IEnumerable<string?> ids, Func<string, string?> nameOf)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ids.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (nameOf(id) is { } name)
            {
                names[id] = name;
            }
        }

        return names;
    }
}
