using Escalation.Core.Sla;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Calendars;
using NodaTime.Extensions;

namespace Escalation.Core.Reporting;

/// <summary>
/// One week's digest: its key (the ISO week of the send day in the business time zone, "2026-W49"), when it became
/// due, and the seven full days before the send day that its figures cover.
/// </summary>
public sealed record DigestWeek(string Key, DateOnly WeekStart, DateTimeOffset DueAt, ReportPeriod Period);

/// <summary>
/// Decides from the clock whether this week's digest is due: from the configured day and hour of the current ISO week
/// (Monday to Sunday) in the business calendar's time zone until the week ends. A local hour that a daylight-saving
/// change skips is taken as the first instant after the gap; one that occurs twice, as its first occurrence.
/// </summary>
public sealed class DigestSchedule
{
    private readonly DateTimeZone _zone;
    private readonly IsoDayOfWeek _day;
    private readonly LocalTime _time;

    public DigestSchedule(DayOfWeek day, int hour, string timeZone)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hour);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hour, 23);
        _zone = DateTimeZoneProviders.Tzdb[timeZone];
        TimeZone = timeZone;
        _day = day.ToIsoDayOfWeek();
        _time = new LocalTime(hour, 0);
    }

    public DigestSchedule(IOptions<DigestOptions> digest, IOptions<SlaOptions> sla)
        : this(digest?.Value.DigestDay ?? throw new ArgumentNullException(nameof(digest)), digest.Value.DigestHour,
            sla?.Value.BusinessCalendar.TimeZone ?? throw new ArgumentNullException(nameof(sla)))
    {
    }

    /// <summary>The business calendar's IANA time zone, in which the digest is scheduled and shows its times.</summary>
    public string TimeZone { get; }

    /// <summary>This week's digest when its day and hour have come, else null.</summary>
    public DigestWeek? Due(DateTimeOffset now)
    {
        var monday = WeekStart(now);
        var sendDay = monday.PlusDays((int)_day - 1);
        var dueAt = sendDay.At(_time).InZoneLeniently(_zone).ToInstant();
        return Instant.FromDateTimeOffset(now) < dueAt ? null : new DigestWeek(KeyOf(sendDay), monday.ToDateOnly(), dueAt.ToDateTimeOffset(),
            new ReportPeriod(sendDay.PlusDays(-7).ToDateOnly(), sendDay.PlusDays(-1).ToDateOnly()));
    }

    /// <summary>The Monday of the ISO week that <paramref name="now"/> falls in, in the business time zone.</summary>
    public DateOnly CurrentWeekStart(DateTimeOffset now) => WeekStart(now).ToDateOnly();

    /// <summary>"yyyy-Www" of the ISO week-numbering year (the week of 31 December 2026 is 2026-W53, of 1 January 2024 2024-W01).</summary>
    public static string KeyOf(DateOnly day) => KeyOf(LocalDate.FromDateOnly(day));

    private static string KeyOf(LocalDate day) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{WeekYearRules.Iso.GetWeekYear(day):D4}-W{WeekYearRules.Iso.GetWeekOfWeekYear(day):D2}");

    private LocalDate WeekStart(DateTimeOffset now) =>
        Instant.FromDateTimeOffset(now).InZone(_zone).Date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));
}
