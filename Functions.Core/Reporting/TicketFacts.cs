using Escalation.Core.Organization;
using Escalation.Core.Sla;
using Escalation.Core.Tickets;
using NodaTime;

namespace Escalation.Core.Reporting;

/// <summary>
/// What one version of a ticket contributes to the read model. Every figure is a function of the ticket document alone
/// (and the directory, for units), so projecting a version again, or a rebuild from the stored tickets, gives the same
/// entries (ADR 10).
/// </summary>
public sealed class TicketFacts
{
    /// <summary>Prefix of the delivery ids of SLA at-risk warnings on a ticket.</summary>
    public const string AtRiskDeliveryPrefix = "sla-at-risk.";

    private readonly DateTimeZone _zone;
    private readonly BusinessCalendar? _calendar;

    public TicketFacts(BusinessCalendarOptions calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        _zone = DateTimeZoneProviders.Tzdb[calendar.TimeZone];
        _calendar = calendar.Enabled ? new BusinessCalendar(calendar) : null;
    }

    /// <summary>Whether response times and elapsed windows are counted in working time.</summary>
    public bool BusinessTime => _calendar is not null;

    /// <summary>The calendar day of an instant in the business calendar's time zone.</summary>
    public DateOnly DayOf(DateTimeOffset at) => Instant.FromDateTimeOffset(at).InZone(_zone).Date.ToDateOnly();

    /// <summary>Working time when the calendar is on, otherwise wall-clock time.</summary>
    public TimeSpan Between(DateTimeOffset start, DateTimeOffset end) => BusinessCalendar.Between(_calendar, start, end);

    /// <summary>How much of a waiting ticket's window has gone at <paramref name="now"/> (1 = due).</summary>
    public double Elapsed(PendingTicket ticket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var window = Between(ticket.CreatedAt, ticket.DueAt);
        return window <= TimeSpan.Zero ? 1 : Between(ticket.CreatedAt, now) / window;
    }

    public DayTicket Of(Ticket ticket, OrgDirectory? directory)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var stop = ticket.FirstResponseAt ?? ticket.ResolvedAt;
        var holder = Holder(ticket);
        bool? met = stop is { } stopped && stopped <= ticket.SlaDueAt ? true
            : stop is not null || ticket.EscalatedAt is not null ? false
            : null;
        return new DayTicket(
            holder.TeamId,
            holder.AgentId,
            directory?.FindPerson(ticket.Requester.PersonId)?.UnitId,
            stop is { } at ? Math.Round(Between(ticket.CreatedAt, at).TotalSeconds) : null,
            met,
            ticket.EscalatedAt is not null,
            ticket.Escalations.Count);
    }

    /// <summary>Every request of every manager escalation of the ticket, keyed by ticket, escalation id and request index.</summary>
    public IEnumerable<(string Key, DateOnly Day, DayRequest Request)> RequestsOf(Ticket ticket, OrgDirectory? directory)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var teamId = Holder(ticket).TeamId;
        foreach (var escalation in ticket.Escalations)
        {
            for (var index = 0; index < escalation.Requests.Count; index++)
            {
                var request = escalation.Requests[index];
                yield return ($"{ticket.Number}|{escalation.Id}|{index}", DayOf(request.At), new DayRequest(
                    request.RequesterId,
                    request.RequesterName,
                    directory?.FindPerson(request.RequesterId)?.UnitId,
                    ticket.Number,
                    escalation.Id,
                    teamId,
                    request.At,
                    Merged: index > 0,
                    InsideSla: request.At < ticket.SlaDueAt,
                    request.Channel,
                    request.Justification));
            }
        }
    }

    /// <summary>The ticket's entry among the tickets waiting for a first response; null once its clock stopped.</summary>
    public static PendingTicket? PendingOf(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.FirstResponseAt is not null || ticket.ResolvedAt is not null || ticket.EscalatedAt is not null)
        {
            return null;
        }

        return new PendingTicket(ticket.Assignment.TeamId, ticket.Assignment.AgentId, ticket.CreatedAt, ticket.SlaDueAt,
            ticket.Notices.Exists(n => n.NoticeId.StartsWith(AtRiskDeliveryPrefix, StringComparison.Ordinal)));
    }

    /// <summary>Who answered for the first response: the holder when the clock stopped, or when the ticket fell due.</summary>
    private static Assignment Holder(Ticket ticket)
    {
        var stop = ticket.FirstResponseAt ?? ticket.ResolvedAt;
        return FirstResponsePolicy.HolderAt(ticket, stop is { } at && at < ticket.SlaDueAt ? at : ticket.SlaDueAt);
    }
}
