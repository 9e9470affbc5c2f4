using Escalation.Core.Tickets;
using Microsoft.Extensions.Options;

namespace Escalation.Core.Sla;

/// <summary>
/// A ticket's first-response clock as a person reads it: time left until the deadline, or how late it is, and how
/// much of the window has gone; in working time when the business calendar is on.
/// </summary>
public sealed record SlaClockView(
    SlaStatus Status,
    DateTimeOffset DueAt,
    bool Running,
    bool BusinessTime,
    double? RemainingSeconds,
    double? OverdueSeconds,
    double? Elapsed);

/// <summary>Works out <see cref="SlaClockView"/> from a ticket's SLA state and the business calendar.</summary>
public sealed class SlaClock
{
    private readonly BusinessCalendar? _calendar;

    public SlaClock(IOptions<SlaOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _calendar = options.Value.BusinessCalendar.Enabled ? new BusinessCalendar(options.Value.BusinessCalendar) : null;
    }

    public SlaClockView Of(TicketView ticket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var sla = ticket.Sla;
        var stoppedAt = sla.FirstResponseAt is { } responded && ticket.ResolvedAt is { } resolved
            ? (responded < resolved ? responded : resolved)
            : sla.FirstResponseAt ?? ticket.ResolvedAt;
        var running = stoppedAt is null;
        var at = stoppedAt ?? now;
        var window = Between(ticket.CreatedAt, sla.DueAt);
        var used = at <= ticket.CreatedAt ? TimeSpan.Zero : Between(ticket.CreatedAt, at);
        double? elapsed = window > TimeSpan.Zero ? Math.Round(used / window, 4) : null;
        return at <= sla.DueAt
            ? new SlaClockView(sla.Status, sla.DueAt, running, _calendar is not null, Between(at, sla.DueAt).TotalSeconds, null, elapsed)
            : new SlaClockView(sla.Status, sla.DueAt, running, _calendar is not null, null, Between(sla.DueAt, at).TotalSeconds, elapsed);
    }

    private TimeSpan Between(DateTimeOffset from, DateTimeOffset to) => BusinessCalendar.Between(_calendar, from, to);
}
