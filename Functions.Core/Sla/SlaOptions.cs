using System.ComponentModel.DataAnnotations;
using Escalation.Core.Tickets;

namespace Escalation.Core.Sla;

/// <summary>First-response windows (configuration section "Sla").</summary>
public sealed class SlaOptions : IValidatableObject
{
    public const string SectionName = "Sla";

    /// <summary>The first-response window for priorities without their own; two days unless configured.</summary>
    public TimeSpan DefaultWindow { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Per-priority windows, e.g. "Sla:Windows:Critical" = "04:00:00".</summary>
    public Dictionary<Priority, TimeSpan> Windows { get; } = [];

    public BusinessCalendarOptions BusinessCalendar { get; set; } = new();

    public TimeSpan WindowFor(Priority priority) => Windows.TryGetValue(priority, out var window) ? window : DefaultWindow;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DefaultWindow <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Sla:DefaultWindow must be positive.", [nameof(DefaultWindow)]);
        }

        foreach (var (priority, _) in Windows.Where(w => w.Value <= TimeSpan.Zero))
        {
            yield return new ValidationResult($"Sla:Windows:{priority} must be positive.", [nameof(Windows)]);
        }

        foreach (var result in BusinessCalendar.Validate())
        {
            yield return result;
        }
    }
}

/// <summary>
/// Working hours, working days, holidays and time zone. When enabled, SLA windows count working time only and a
/// window's whole days count as working days (two days = two full working days).
/// </summary>
public sealed class BusinessCalendarOptions
{
    public bool Enabled { get; set; }

    /// <summary>IANA time zone id, e.g. "America/New_York"; also the zone of report days and of the weekly digest, calendar on or off.</summary>
    public string TimeZone { get; set; } = "UTC";

    public TimeOnly WorkdayStart { get; set; } = new(8, 0);

    public TimeOnly WorkdayEnd { get; set; } = new(17, 0);

    /// <summary>Comma-separated day names, e.g. "Monday,Tuesday,Wednesday,Thursday,Friday" (one flat app setting).</summary>
    public string WorkingDays { get; set; } = "Monday,Tuesday,Wednesday,Thursday,Friday";

    /// <summary>Comma-separated dates (yyyy-MM-dd) on which no working time counts, e.g. "2026-12-25,2027-01-01".</summary>
    public string Holidays { get; set; } = string.Empty;

    internal IReadOnlyCollection<DayOfWeek> ParsedWorkingDays =>
        [.. Split(WorkingDays).Select(day => Enum.Parse<DayOfWeek>(day, ignoreCase: true))];

    internal IReadOnlyCollection<DateOnly> ParsedHolidays =>
        [.. Split(Holidays).Select(date => DateOnly.ParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))];

    internal IEnumerable<ValidationResult> Validate()
    {
        // Checked even with the calendar off: report days and the weekly digest's day and hour are in this zone.
        if (NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(TimeZone) is null)
        {
            yield return new ValidationResult($"Sla:BusinessCalendar:TimeZone '{TimeZone}' is not an IANA time zone.");
        }

        if (!Enabled)
        {
            yield break;
        }

        if (WorkdayEnd <= WorkdayStart)
        {
            yield return new ValidationResult("Sla:BusinessCalendar:WorkdayEnd must be after WorkdayStart.");
        }

        var days = Split(WorkingDays).ToList();
        if (days.Count == 0 || days.Any(day => !Enum.TryParse<DayOfWeek>(day, ignoreCase: true, out _) || int.TryParse(day, out _)))
        {
            yield return new ValidationResult($"Sla:BusinessCalendar:WorkingDays '{WorkingDays}' must list day names, e.g. Monday,Tuesday.");
        }

        if (Split(Holidays).Any(date => !DateOnly.TryParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out _)))
        {
            yield return new ValidationResult($"Sla:BusinessCalendar:Holidays '{Holidays}' must list dates as yyyy-MM-dd.");
        }
    }

    private static string[] Split(string? list) =>
        (list ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
