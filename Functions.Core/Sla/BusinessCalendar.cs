using NodaTime;
using NodaTime.Extensions;

namespace Escalation.Core.Sla;

/// <summary>Adds working time to an instant, skipping nights, non-working days and holidays in the calendar's time zone.</summary>
public sealed class BusinessCalendar
{
    private const int MaxDaysToSearch = 3660;
    private readonly BusinessCalendarOptions _options;
    private readonly DateTimeZone _zone;
    private readonly HashSet<LocalDate> _holidays;
    private readonly HashSet<IsoDayOfWeek> _workingDays;

    public BusinessCalendar(BusinessCalendarOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _zone = DateTimeZoneProviders.Tzdb[options.TimeZone];
        _holidays = options.ParsedHolidays.Select(LocalDate.FromDateOnly).ToHashSet();
        _workingDays = options.ParsedWorkingDays.Select(d => d.ToIsoDayOfWeek()).ToHashSet();
    }

    /// <summary>The nominal length of one working day, used to turn "two days" into working time.</summary>
    public TimeSpan WorkdayLength => _options.WorkdayEnd - _options.WorkdayStart;

    /// <summary>
    /// The instant when <paramref name="workingTime"/> of working time has elapsed after <paramref name="start"/>.
    /// Each day's working hours are converted to instants on their own, so a daylight-saving change inside the
    /// working day makes that day an hour shorter or longer, as the clock on the wall says.
    /// </summary>
    public DateTimeOffset Add(DateTimeOffset start, TimeSpan workingTime)
    {
        var from = Instant.FromDateTimeOffset(start);
        var remaining = Duration.FromTimeSpan(workingTime);
        if (remaining <= Duration.Zero)
        {
            return start;
        }

        var date = from.InZone(_zone).Date;
        for (var day = 0; day < MaxDaysToSearch; day++, date = date.PlusDays(1))
        {
            if (!IsWorkingDay(date))
            {
                continue;
            }

            var opens = Max(from, date.At(LocalTime.FromTimeOnly(_options.WorkdayStart)).InZoneLeniently(_zone).ToInstant());
            var closes = date.At(LocalTime.FromTimeOnly(_options.WorkdayEnd)).InZoneLeniently(_zone).ToInstant();
            if (opens >= closes)
            {
                continue;
            }

            var available = closes - opens;
            if (remaining <= available)
            {
                return (opens + remaining).ToDateTimeOffset();
            }

            remaining -= available;
        }

        throw new InvalidOperationException("The business calendar has no working time within ten years.");
    }

    /// <summary>The working time between two instants (zero when <paramref name="end"/> is not after <paramref name="start"/>).</summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset start, DateTimeOffset end)
    {
        var from = Instant.FromDateTimeOffset(start);
        var to = Instant.FromDateTimeOffset(end);
        var total = Duration.Zero;
        for (var date = from.InZone(_zone).Date; from < to && date <= to.InZone(_zone).Date; date = date.PlusDays(1))
        {
            if (!IsWorkingDay(date))
            {
                continue;
            }

            var opens = Max(from, date.At(LocalTime.FromTimeOnly(_options.WorkdayStart)).InZoneLeniently(_zone).ToInstant());
            var closes = Min(to, date.At(LocalTime.FromTimeOnly(_options.WorkdayEnd)).InZoneLeniently(_zone).ToInstant());
            if (opens < closes)
            {
                total += closes - opens;
            }
        }

        return total.ToTimeSpan();
    }

    /// <summary>The time from <paramref name="from"/> to <paramref name="to"/>: working time with a calendar, wall-clock time without (null).</summary>
    public static TimeSpan Between(BusinessCalendar? calendar, DateTimeOffset from, DateTimeOffset to) =>
        to <= from ? TimeSpan.Zero : calendar?.WorkingTimeBetween(from, to) ?? to - from;

    public bool IsWorkingDay(LocalDate date) => _workingDays.Contains(date.DayOfWeek) && !_holidays.Contains(date);

    private static Instant Max(Instant a, Instant b) => a > b ? a : b;

    private static Instant Min(Instant a, Instant b) => a < b ? a : b;
}
