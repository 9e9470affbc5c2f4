using Escalation.Core.Sla;
using Escalation.Core.Tickets;
using Microsoft.Extensions.Options;

namespace Escalation.Tests.Core;

public class SlaPolicyTests
{
    private static readonly TimeSpan NewYorkWinter = TimeSpan.FromHours(-5);
    private static readonly TimeSpan NewYorkSummer = TimeSpan.FromHours(-4);

    [Fact]
    public void Without_a_calendar_the_default_window_is_two_days_of_wall_clock_time()
    {
        var created = new DateTimeOffset(2026, 3, 6, 16, 0, 0, TimeSpan.Zero);
        Policy(new SlaOptions()).FirstResponseDue(created, Priority.Normal).ShouldBe(created.AddDays(2));
    }

    [Fact]
    public void A_priority_can_have_its_own_window()
    {
        var options = new SlaOptions();
        options.Windows[Priority.Critical] = TimeSpan.FromHours(4);
        var created = new DateTimeOffset(2026, 3, 6, 16, 0, 0, TimeSpan.Zero);

        Policy(options).FirstResponseDue(created, Priority.Critical).ShouldBe(created.AddHours(4));
        Policy(options).FirstResponseDue(created, Priority.Low).ShouldBe(created.AddDays(2));
    }

    [Fact]
    public void Two_days_in_the_calendar_are_two_working_days_skipping_the_weekend_across_a_DST_change()
    {
        // Friday 16:00 EST; clocks go forward on Sunday 8 March 2026. 18 working hours: Fri 1h, Mon 9h, Tue 8h.
        var created = new DateTimeOffset(2026, 3, 6, 16, 0, 0, NewYorkWinter);

        var due = Policy(NewYork()).FirstResponseDue(created, Priority.Normal);

        due.ShouldBe(new DateTimeOffset(2026, 3, 10, 16, 0, 0, NewYorkSummer));
    }

    [Fact]
    public void Holidays_are_skipped()
    {
        var options = NewYork();
        options.BusinessCalendar.Holidays = "2026-03-09";
        var created = new DateTimeOffset(2026, 3, 6, 16, 0, 0, NewYorkWinter);

        Policy(options).FirstResponseDue(created, Priority.Normal).ShouldBe(new DateTimeOffset(2026, 3, 11, 16, 0, 0, NewYorkSummer));
    }

    [Theory]
    [InlineData(6, 0, 2, 9, 30)]    // before opening: counting starts at 08:00
    [InlineData(10, 30, 2, 12, 0)]  // inside working hours
    [InlineData(16, 30, 3, 9, 0)]   // 30 minutes today, the rest tomorrow morning
    [InlineData(20, 0, 3, 9, 30)]   // after closing: counting starts next morning
    public void Working_hours_bound_the_count(int hour, int minute, int dueDay, int dueHour, int dueMinute)
    {
        var options = NewYork();
        options.DefaultWindow = TimeSpan.FromMinutes(90);
        var created = new DateTimeOffset(2026, 2, 2, hour, minute, 0, NewYorkWinter);

        var due = Policy(options).FirstResponseDue(created, Priority.Normal);

        due.ShouldBe(new DateTimeOffset(2026, 2, dueDay, dueHour, dueMinute, 0, NewYorkWinter));
    }

    [Fact]
    public void A_working_day_that_loses_an_hour_to_DST_counts_only_the_hours_that_exist()
    {
        // London, working 00:00-06:00 every day. On 29 March 2026 01:00 GMT becomes 02:00 BST: that day has 5 hours.
        var calendar = new BusinessCalendar(new BusinessCalendarOptions
        {
            Enabled = true,
            TimeZone = "Europe/London",
            WorkdayStart = new TimeOnly(0, 0),
            WorkdayEnd = new TimeOnly(6, 0),
            WorkingDays = "Sunday,Monday,Tuesday,Wednesday,Thursday,Friday,Saturday",
        });
        var midnight = new DateTimeOffset(2026, 3, 29, 0, 0, 0, TimeSpan.Zero);

        calendar.Add(midnight, TimeSpan.FromHours(5)).ShouldBe(new DateTimeOffset(2026, 3, 29, 6, 0, 0, TimeSpan.FromHours(1)));
        calendar.Add(midnight, TimeSpan.FromHours(6)).ShouldBe(new DateTimeOffset(2026, 3, 30, 1, 0, 0, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Invalid_calendars_fail_validation()
    {
        var options = new SlaOptions { DefaultWindow = TimeSpan.Zero };
        options.BusinessCalendar = new BusinessCalendarOptions
        {
            Enabled = true,
            TimeZone = "Mars/Olympus",
            WorkdayStart = new TimeOnly(17, 0),
            WorkdayEnd = new TimeOnly(8, 0),
            WorkingDays = "Monday,Funday",
            Holidays = "2026-12-25,25/12/2026",
        };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(r => r.ErrorMessage).ToList();

        errors.Count.ShouldBe(5);
    }

    private static SlaOptions NewYork() => new()
    {
        BusinessCalendar = new BusinessCalendarOptions { Enabled = true, TimeZone = "America/New_York" },
    };

    private static SlaPolicy Policy(SlaOptions options) => new(Options.Create(options));
}
