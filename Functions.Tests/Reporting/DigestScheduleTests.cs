using Escalation.Core.Reporting;

namespace Escalation.Tests.Reporting;

/// <summary>When the weekly digest is due and which week it is, in the business calendar's time zone.</summary>
public class DigestScheduleTests
{
    private const string NewYork = "America/New_York";

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0, int year = 2026) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Due_from_the_configured_local_day_and_hour_until_the_week_ends()
    {
        var schedule = new DigestSchedule(DayOfWeek.Monday, 8, NewYork);

        schedule.Due(Utc(3, 2, 12, 59)).ShouldBeNull("07:59 in New York (EST, UTC-5)");
        var due = schedule.Due(Utc(3, 2, 13)).ShouldNotBeNull();
        due.Key.ShouldBe("2026-W10");
        due.WeekStart.ShouldBe(new DateOnly(2026, 3, 2));
        due.DueAt.ShouldBe(Utc(3, 2, 13));
        due.Period.ShouldBe(new ReportPeriod(new DateOnly(2026, 2, 23), new DateOnly(2026, 3, 1)), "the seven full days before the digest day");
        schedule.Due(Utc(3, 8, 23))!.Key.ShouldBe("2026-W10", "Sunday evening local is still the same week");
        schedule.Due(Utc(3, 9, 4, 59)).ShouldBeNull("Monday 00:59 EDT: a new week, before its hour");
    }

    [Fact]
    public void A_later_day_of_the_week_is_not_due_earlier_in_that_week()
    {
        var schedule = new DigestSchedule(DayOfWeek.Friday, 16, "UTC");

        schedule.Due(Utc(3, 5, 23)).ShouldBeNull("Thursday");
        schedule.Due(Utc(3, 6, 15, 59)).ShouldBeNull();
        var due = schedule.Due(Utc(3, 6, 16))!;
        due.Key.ShouldBe("2026-W10");
        due.Period.ShouldBe(new ReportPeriod(new DateOnly(2026, 2, 27), new DateOnly(2026, 3, 5)));
    }

    [Fact]
    public void The_local_hour_holds_across_the_daylight_saving_change()
    {
        var schedule = new DigestSchedule(DayOfWeek.Monday, 8, NewYork);

        schedule.Due(Utc(3, 2, 13))!.DueAt.ShouldBe(Utc(3, 2, 13), "08:00 EST");
        schedule.Due(Utc(3, 9, 11, 59)).ShouldBeNull("clocks went forward on Sunday 8 March: 07:59 EDT");
        schedule.Due(Utc(3, 9, 12))!.DueAt.ShouldBe(Utc(3, 9, 12), "08:00 EDT");
        schedule.Due(Utc(11, 2, 12, 59)).ShouldBeNull("clocks went back on Sunday 1 November: 07:59 EST");
        schedule.Due(Utc(11, 2, 13))!.Key.ShouldBe("2026-W45");
    }

    [Fact]
    public void A_skipped_local_hour_is_due_right_after_the_gap_and_a_repeated_one_at_its_first_occurrence()
    {
        var spring = new DigestSchedule(DayOfWeek.Sunday, 2, NewYork);
        spring.Due(Utc(3, 8, 6, 59)).ShouldBeNull("01:59 EST; 02:00 to 02:59 does not exist that night");
        spring.Due(Utc(3, 8, 7))!.DueAt.ShouldBe(Utc(3, 8, 7), "03:00 EDT");

        var autumn = new DigestSchedule(DayOfWeek.Sunday, 1, NewYork);
        autumn.Due(Utc(11, 1, 4, 59)).ShouldBeNull();
        autumn.Due(Utc(11, 1, 5))!.DueAt.ShouldBe(Utc(11, 1, 5), "01:00 EDT, the first of the two 01:00s");
    }

    [Fact]
    public void The_week_is_the_business_time_zones_not_UTCs()
    {
        // Sunday 8 March 20:00 UTC is Monday 9 March 09:00 in Auckland (NZDT, UTC+13).
        var now = Utc(3, 8, 20);

        var auckland = new DigestSchedule(DayOfWeek.Monday, 8, "Pacific/Auckland").Due(now)!;
        var utc = new DigestSchedule(DayOfWeek.Monday, 8, "UTC").Due(now)!;

        auckland.Key.ShouldBe("2026-W11");
        auckland.Period.ShouldBe(new ReportPeriod(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 8)));
        utc.Key.ShouldBe("2026-W10");
    }

    [Theory]
    [InlineData("2026-03-02", "2026-W10")]
    [InlineData("2026-12-31", "2026-W53")]
    [InlineData("2027-01-03", "2026-W53")]
    [InlineData("2027-01-04", "2027-W01")]
    [InlineData("2024-12-30", "2025-W01")]
    public void The_week_key_is_the_ISO_week_of_the_week_numbering_year(string day, string key) =>
        DigestSchedule.KeyOf(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(key);
}
