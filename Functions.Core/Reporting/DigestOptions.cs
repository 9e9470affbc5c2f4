using System.ComponentModel.DataAnnotations;

namespace Escalation.Core.Reporting;

/// <summary>
/// When the weekly digest goes out (configuration section "Reporting", next to <see cref="ReportingOptions"/>): on
/// <see cref="DigestDay"/> from <see cref="DigestHour"/> o'clock in the business calendar's time zone
/// (Sla:BusinessCalendar:TimeZone).
/// </summary>
public sealed class DigestOptions
{
    public const string SectionName = ReportingOptions.SectionName;

    /// <summary>The day of the week, by name ("Monday").</summary>
    [EnumDataType(typeof(DayOfWeek))]
    public DayOfWeek DigestDay { get; set; } = DayOfWeek.Monday;

    /// <summary>The local hour (0-23) from which that day's digest is sent.</summary>
    [Range(0, 23)]
    public int DigestHour { get; set; } = 8;
}
