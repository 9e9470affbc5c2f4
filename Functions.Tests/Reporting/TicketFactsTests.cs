using Escalation.Core.Reporting;
using Escalation.Core.Sla;
using Escalation.Core.Tickets;
using Escalation.Tests.Support;

namespace Escalation.Tests.Reporting;

/// <summary>What one ticket contributes to the read model, in wall-clock and in business time.</summary>
public sealed class TicketFactsTests
{
    private static readonly BusinessCalendarOptions Business = new() { Enabled = true, TimeZone = "America/New_York" };

    [Fact]
    public void Working_time_between_skips_nights_and_weekends_and_is_the_inverse_of_adding_it()
    {
        var calendar = new BusinessCalendar(Business);
        var friday4pm = new DateTimeOffset(2026, 3, 6, 16, 0, 0, TimeSpan.FromHours(-5));
        var monday10am = new DateTimeOffset(2026, 3, 9, 10, 0, 0, TimeSpan.FromHours(-4)); // after the switch to daylight time

        calendar.WorkingTimeBetween(friday4pm, monday10am).ShouldBe(TimeSpan.FromHours(3));
        calendar.WorkingTimeBetween(monday10am, friday4pm).ShouldBe(TimeSpan.Zero);
        calendar.WorkingTimeBetween(friday4pm, calendar.Add(friday4pm, TimeSpan.FromHours(20))).ShouldBe(TimeSpan.FromHours(20));
    }

    [Fact]
    public void A_ticket_answered_in_time_is_met_with_its_response_time_in_business_seconds_and_attributed_to_its_holder_then()
    {
        var created = new DateTimeOffset(2026, 3, 6, 16, 0, 0, TimeSpan.FromHours(-5));
        var ticket = Builders.Ticket("SD-5001", createdAt: created, window: TimeSpan.FromDays(4));
        ticket.Respond("r", "agent-ann", "Hi", true, new DateTimeOffset(2026, 3, 9, 10, 0, 0, TimeSpan.FromHours(-4))).IsSuccess.ShouldBeTrue();
        ticket.Reassign("later", new Assignment("network-team", "agent-bob"), "lead-desk", created.AddDays(3)).IsSuccess.ShouldBeTrue();

        var business = new TicketFacts(Business).Of(ticket, Builders.Directory());
        var wallClock = new TicketFacts(new BusinessCalendarOptions()).Of(ticket, Builders.Directory());

        business.ShouldBe(new DayTicket("service-desk", "agent-ann", "physics", 3 * 3600, true, false, 0));
        wallClock.ResponseSeconds.ShouldBe((2 * 24 + 17) * 3600); // Friday 21:00 to Monday 14:00 UTC
        new TicketFacts(Business).DayOf(created).ShouldBe(new DateOnly(2026, 3, 6));
    }

    [Fact]
    public void A_breached_ticket_is_not_met_a_running_one_is_neither_and_only_the_running_one_is_waiting()
    {
        var facts = new TicketFacts(new BusinessCalendarOptions());
        var breached = Builders.Ticket("SD-5002");
        breached.RecordSlaBreach(breached.SlaDueAt);
        var running = Builders.Ticket("SD-5003");

        facts.Of(breached, null).ShouldBe(new DayTicket("service-desk", "agent-ann", null, null, false, true, 0));
        facts.Of(running, null).Met.ShouldBeNull();
        TicketFacts.PendingOf(breached).ShouldBeNull();
        TicketFacts.PendingOf(running).ShouldBe(new PendingTicket("service-desk", "agent-ann", running.CreatedAt, running.SlaDueAt, false));
    }
}
