using Escalation.Core.Tickets;
using Microsoft.Extensions.Options;

namespace Escalation.Core.Sla;

/// <summary>When the first response to a new ticket is due.</summary>
public sealed class SlaPolicy
{
    private readonly SlaOptions _options;
    private readonly BusinessCalendar? _calendar;

    public SlaPolicy(IOptions<SlaOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _calendar = _options.BusinessCalendar.Enabled ? new BusinessCalendar(_options.BusinessCalendar) : null;
    }

    public DateTimeOffset FirstResponseDue(DateTimeOffset createdAt, Priority priority)
    {
        var window = _options.WindowFor(priority);
        if (_calendar is null)
        {
            return createdAt + window;
        }

        // Whole days of the window are working days; the rest is working hours.
        var workingTime = (_calendar.WorkdayLength * Math.Floor(window.TotalDays)) + TimeSpan.FromTicks(window.Ticks % TimeSpan.TicksPerDay);
        return _calendar.Add(createdAt, workingTime);
    }
}
