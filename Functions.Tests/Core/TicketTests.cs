using Escalation.Core.Tickets;
using Escalation.Tests.Support;

namespace Escalation.Tests.Core;

public class TicketTests
{
    private static readonly DateTimeOffset Now = Builders.Monday9am;

    [Fact]
    public void A_new_ticket_records_its_creation_and_assignment()
    {
        var ticket = Builders.Ticket();

        ticket.Status.ShouldBe(TicketStatus.Open);
        ticket.History.Select(h => h.Type).ShouldBe([HistoryEntryType.Created, HistoryEntryType.Assigned]);
        ticket.AssignedAgents.ShouldBe(["agent-ann"]);
        ticket.AssignedTeams.ShouldBe(["service-desk"]);
    }

    [Fact]
    public void The_first_response_from_the_assignee_stops_the_clock_and_later_ones_do_not_count_again()
    {
        var ticket = Builders.Ticket();

        ticket.Respond("r1", "agent-ann", "Looking at it", countsAsFirstResponse: true, Now.AddHours(1)).Value.ShouldBeTrue();
        ticket.Respond("r2", "agent-ann", "Fixed?", countsAsFirstResponse: true, Now.AddHours(2)).Value.ShouldBeFalse();

        ticket.FirstResponseAt.ShouldBe(Now.AddHours(1));
        ticket.Status.ShouldBe(TicketStatus.InProgress);
    }

    [Fact]
    public void A_reply_from_outside_the_assigned_team_reaches_the_requester_but_is_not_the_first_response()
    {
        var ticket = Builders.Ticket();

        ticket.Respond("r1", "agent-bob", "Not mine", countsAsFirstResponse: false, Now).Value.ShouldBeFalse();

        ticket.FirstResponseAt.ShouldBeNull();
        ticket.History[^1].Type.ShouldBe(HistoryEntryType.Replied);
        ticket.Outgoing.ShouldHaveSingleItem().Kind.ShouldBe(OutgoingKind.Reply);
    }

    [Fact]
    public void The_same_history_entry_is_appended_once()
    {
        var ticket = Builders.Ticket();

        ticket.Respond("same-key", "agent-ann", "Hi", true, Now);
        ticket.Respond("same-key", "agent-ann", "Hi", true, Now);

        ticket.History.Count(h => h.Id == "same-key").ShouldBe(1);
    }

    [Fact]
    public void A_resolved_ticket_refuses_responses_and_reassignment()
    {
        var ticket = Builders.Ticket();
        ticket.Resolve("done", "agent-ann", "Replaced the disk", Now).IsSuccess.ShouldBeTrue();

        ticket.Respond("r", "agent-ann", "more", true, Now).Status.ShouldBe(Ardalis.Result.ResultStatus.Conflict);
        ticket.Reassign("x", new Assignment("network-team"), "agent-ann", Now).Status.ShouldBe(Ardalis.Result.ResultStatus.Conflict);
        ticket.RecordSlaBreach(Now).ShouldBeFalse();
    }

    [Fact]
    public void A_breach_is_recorded_once_and_not_at_all_after_a_response()
    {
        var breached = Builders.Ticket();
        breached.RecordSlaBreach(Now).ShouldBeTrue();
        breached.RecordSlaBreach(Now.AddMinutes(1)).ShouldBeTrue();
        breached.History.Count(h => h.Type == HistoryEntryType.SlaBreached).ShouldBe(1);
        breached.Status.ShouldBe(TicketStatus.Escalated);

        var answered = Builders.Ticket();
        answered.Respond("r", "agent-ann", "On it", true, Now);
        answered.RecordSlaBreach(Now).ShouldBeFalse();
    }

    [Fact]
    public void A_notice_refused_for_good_is_not_claimed_again()
    {
        var ticket = Builders.Ticket();
        ticket.ClaimNotice("n1", "lead-desk", Now, TimeSpan.FromMinutes(2));

        ticket.RecordNoticeRejected("n1", new HistoryEntry("n1.rejected", Now, HistoryEntryType.DeliveryFailed, "system", "bad address"));

        ticket.ClaimNotice("n1", "lead-desk", Now.AddMinutes(5), TimeSpan.FromMinutes(2)).ShouldBe(NoticeStep.Done);
        ticket.History.ShouldContain(h => h.Type == HistoryEntryType.DeliveryFailed);
    }

    [Fact]
    public void A_notice_is_claimed_once_until_its_lease_expires_or_it_is_released()
    {
        var ticket = Builders.Ticket();
        var lease = TimeSpan.FromMinutes(2);

        ticket.ClaimNotice("n1", "lead-desk", Now, lease).ShouldBe(NoticeStep.SendEmail);
        ticket.ClaimNotice("n1", "lead-desk", Now.AddSeconds(30), lease).ShouldBe(NoticeStep.InFlight);
        ticket.ClaimNotice("n1", "lead-desk", Now.AddMinutes(3), lease).ShouldBe(NoticeStep.SendEmailUnlessAccepted);
        ticket.ReleaseNotice("n1");
        ticket.ClaimNotice("n1", "lead-desk", Now.AddMinutes(3), lease).ShouldBe(NoticeStep.SendEmail);
    }

    [Fact]
    public void A_sent_notice_only_has_its_event_left_then_nothing()
    {
        var ticket = Builders.Ticket();
        ticket.ClaimNotice("n1", "lead-desk", Now, TimeSpan.FromMinutes(2));
        ticket.RecordNoticeEmailed("n1", "<n1@x>", new HistoryEntry("n1", Now, HistoryEntryType.NoticeSent, "system", "sent"));

        ticket.ClaimNotice("n1", "lead-desk", Now, TimeSpan.FromMinutes(2)).ShouldBe(NoticeStep.PublishEvent);
        ticket.RecordNoticePublished("n1", Now);
        ticket.ClaimNotice("n1", "lead-desk", Now, TimeSpan.FromMinutes(2)).ShouldBe(NoticeStep.Done);
    }

    [Fact]
    public void Sla_state_reports_pending_met_and_breached()
    {
        var ticket = Builders.Ticket(window: TimeSpan.FromHours(1));
        SlaState.Of(ticket, Now.AddMinutes(30)).Status.ShouldBe(SlaStatus.Pending);
        SlaState.Of(ticket, Now.AddHours(2)).Status.ShouldBe(SlaStatus.Breached);

        ticket.Respond("r", "agent-ann", "hi", true, Now.AddMinutes(59));
        SlaState.Of(ticket, Now.AddHours(2)).Status.ShouldBe(SlaStatus.Met);

        var late = Builders.Ticket(window: TimeSpan.FromHours(1));
        late.Respond("r", "agent-ann", "sorry", true, Now.AddHours(3));
        SlaState.Of(late, Now.AddHours(4)).Status.ShouldBe(SlaStatus.Breached);
    }

    [Fact]
    public void A_ticket_resolved_inside_its_window_without_a_response_met_its_sla()
    {
        var ticket = Builders.Ticket(window: TimeSpan.FromHours(1));
        ticket.Resolve("done", "agent-ann", "Reset the password", Now.AddMinutes(40));

        SlaState.Of(ticket, Now.AddDays(3)).Status.ShouldBe(SlaStatus.Met);
        SlaState.ClockStoppedAt(ticket).ShouldBe(Now.AddMinutes(40));
    }

    [Fact]
    public void A_ticket_resolved_after_its_deadline_without_a_response_breached_its_sla()
    {
        var ticket = Builders.Ticket(window: TimeSpan.FromHours(1));
        ticket.Resolve("done", "agent-ann", "Reset the password", Now.AddHours(2));

        SlaState.Of(ticket, Now.AddHours(3)).Status.ShouldBe(SlaStatus.Breached);
    }

    [Fact]
    public void The_clock_stops_at_the_earlier_of_response_and_resolution()
    {
        var ticket = Builders.Ticket(window: TimeSpan.FromHours(1));
        ticket.Respond("r", "agent-ann", "late", true, Now.AddHours(2));
        ticket.Resolve("done", "agent-ann", "fixed", Now.AddHours(3));

        SlaState.ClockStoppedAt(ticket).ShouldBe(Now.AddHours(2));
        SlaState.Of(ticket, Now.AddHours(4)).Status.ShouldBe(SlaStatus.Breached);
    }
}
