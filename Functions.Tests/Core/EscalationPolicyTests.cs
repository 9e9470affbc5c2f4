using Escalation.Core.Notifications;
using Escalation.Core.Escalations;
using Escalation.Core.Organization;
using Escalation.Core.Tickets;
using Escalation.Tests.Support;

namespace Escalation.Tests.Core;

/// <summary>The coordinator orchestration's decisions, without a host.</summary>
public class EscalationPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromHours(24);

    private static readonly EscalationSnapshot Assigned = new("SD-1001", "E1", Closed: false, "coord-cora", Round: 1,
        AcknowledgeBy: Now.AddHours(4), AcknowledgedAt: null, ManagerContactedRound: 0, RemindersSent: 0, LastReminderAt: null,
        HasOpenWork: true, PendingOutbox: [], Interval);

    private static EscalationWorkflowState With(EscalationSnapshot snapshot, int signals = 0) => new("SD-1001", "E1", snapshot, signals);

    [Fact]
    public void Without_a_snapshot_it_reads_the_document_first() =>
        EscalationPolicy.Next(new EscalationWorkflowState("SD-1001", "E1"), Now).ShouldBeOfType<EscalationStep.Refresh>();

    [Fact]
    public void Owed_mails_and_events_go_out_first_even_when_closed() =>
        EscalationPolicy.Next(With(Assigned with { Closed = true, PendingOutbox = ["a", "b"] }), Now)
            .ShouldBe(new EscalationStep.ProcessOutbox("a"));

    [Fact]
    public void A_closed_escalation_with_nothing_owed_completes() =>
        EscalationPolicy.Next(With(Assigned with { Closed = true }), Now).ShouldBeOfType<EscalationStep.Complete>();

    [Fact]
    public void An_unassigned_escalation_gets_a_coordinator() =>
        EscalationPolicy.Next(With(Assigned with { CoordinatorId = null, Round = 0, AcknowledgeBy = null }), Now)
            .ShouldBeOfType<EscalationStep.AssignCoordinator>();

    [Fact]
    public void Before_the_acknowledgement_deadline_it_waits_for_it() =>
        EscalationPolicy.Next(With(Assigned), Now).ShouldBe(new EscalationStep.WaitForSignal(Now.AddHours(4)));

    [Fact]
    public void A_missed_deadline_is_reported_to_the_coordinators_manager_once_per_round()
    {
        EscalationPolicy.Next(With(Assigned), Now.AddHours(4)).ShouldBe(new EscalationStep.ReportMissedAcknowledgement(1));

        var reported = Assigned with { ManagerContactedRound = 1 };
        EscalationPolicy.Next(With(reported), Now.AddHours(9)).ShouldBe(new EscalationStep.WaitForSignal(null), "it keeps waiting, without a deadline");

        var reassigned = reported with { Round = 2, CoordinatorId = "coord-carl", AcknowledgeBy = Now.AddHours(12) };
        EscalationPolicy.Next(With(reassigned), Now.AddHours(9)).ShouldBe(new EscalationStep.WaitForSignal(Now.AddHours(12)), "a new round has its own wait");
        EscalationPolicy.Next(With(reassigned), Now.AddHours(12)).ShouldBe(new EscalationStep.ReportMissedAcknowledgement(2));
    }

    [Fact]
    public void After_acknowledgement_open_steps_are_reminded_at_most_once_per_interval()
    {
        var acknowledged = Assigned with { AcknowledgedAt = Now };
        EscalationPolicy.Next(With(acknowledged), Now.AddHours(1)).ShouldBe(new EscalationStep.WaitForSignal(Now + Interval));
        EscalationPolicy.Next(With(acknowledged), Now + Interval).ShouldBe(new EscalationStep.Remind(1));

        var reminded = acknowledged with { RemindersSent = 1, LastReminderAt = Now + Interval + TimeSpan.FromMinutes(1) };
        EscalationPolicy.Next(With(reminded), Now + Interval + TimeSpan.FromHours(2))
            .ShouldBe(new EscalationStep.WaitForSignal(reminded.LastReminderAt!.Value + Interval));
    }

    [Fact]
    public void With_every_step_settled_there_is_nothing_to_remind() =>
        EscalationPolicy.Next(With(Assigned with { AcknowledgedAt = Now, HasOpenWork = false }), Now.AddDays(9))
            .ShouldBe(new EscalationStep.WaitForSignal(null));

    [Fact]
    public void After_many_signals_it_continues_as_new_and_reads_the_document_again()
    {
        var state = With(Assigned, EscalationPolicy.SignalsPerGeneration);
        EscalationPolicy.Next(state, Now).ShouldBeOfType<EscalationStep.StartNewGeneration>();
        EscalationPolicy.ForNewGeneration(state).ShouldBe(new EscalationWorkflowState("SD-1001", "E1"));
    }

    [Fact]
    public void A_signal_drops_the_snapshot() =>
        EscalationPolicy.AfterSignal(With(Assigned)).ShouldBe(new EscalationWorkflowState("SD-1001", "E1", null, 1));
}

public class CoordinatorAssignmentTests
{
    private static readonly CoordinatorRecord[] Roster =
        [new("coord-cora", "coord-mgr"), new("coord-carl", "coord-mgr"), new("coord-abe", "coord-mgr")];

    [Fact]
    public void The_coordinator_with_the_fewest_open_escalations_gets_it() =>
        CoordinatorAssignment.Choose(Roster, new Dictionary<string, int> { ["coord-abe"] = 2, ["coord-carl"] = 1, ["coord-cora"] = 1 })
            .ShouldBe("coord-carl");

    [Fact]
    public void Ties_go_to_the_lowest_person_id_whatever_the_roster_order()
    {
        CoordinatorAssignment.Choose(Roster, new Dictionary<string, int>()).ShouldBe("coord-abe");
        CoordinatorAssignment.Choose(Roster.Reverse(), new Dictionary<string, int>()).ShouldBe("coord-abe");
    }

    [Fact]
    public void Reassignment_leaves_out_the_current_coordinator_unless_they_are_alone()
    {
        CoordinatorAssignment.Choose(Roster, new Dictionary<string, int>(), exclude: "coord-abe").ShouldBe("coord-carl");
        CoordinatorAssignment.Choose([Roster[0]], new Dictionary<string, int>(), exclude: "coord-cora").ShouldBe("coord-cora");
        CoordinatorAssignment.Choose([], new Dictionary<string, int>()).ShouldBeNull();
    }
}

public class EscalationRoutingTests
{
    [Theory]
    [InlineData("service-desk", "dir-uss", "User Support Services")]      // USS: its Director
    [InlineData("network-team", "net-mgr", "Networking")]                 // another IT area: its manager
    [InlineData("facilities-team", "fac-mgr,fac-mgr2", "Facilities")]     // outside IT: the division's managers
    public void Step_5_goes_to_the_owner_with_the_CIO_in_copy(string teamId, string managers, string unit)
    {
        var route = EscalationRouting.Route(Builders.Ticket(assignment: new Assignment(teamId)), Builders.Directory());

        route.ManagerIds.ShouldBe(managers.Split(','));
        route.Rule.ShouldContain(unit);
        route.CioId.ShouldBe("cio");
    }

    [Fact]
    public void Involved_staff_are_the_area_manager_and_every_lead_and_supervisor_involved()
    {
        var ticket = Builders.Ticket(assignment: new Assignment("service-desk", "agent-ann"));

        var staff = EscalationRouting.InvolvedStaff(ticket, Builders.Directory());

        staff.Select(s => s.PersonId).ShouldBe(["dir-uss", "lead-desk"], ignoreOrder: true);
        staff.Single(s => s.PersonId == "lead-desk").Reasons.ShouldContain("lead in User Support Services");
    }
    [Fact]
    public void For_a_team_outside_IT_the_division_managers_and_the_team_lead_are_told_once_each_with_staff_and_reason()
    {
        var directory = Builders.Directory();
        var ticket = Builders.Ticket("SD-1010", new Assignment("facilities-team"));
        var escalation = EscalationChanges.Request(ticket, new EscalationRequest("prof-paul", "Prof. Paul Chen", "The lab door is stuck.",
            EscalationChannel.Web, Builders.Monday9am), "req-1", "fp").Value.Escalation;

        var staff = EscalationRouting.InvolvedStaff(ticket, directory);
        var mails = staff.Select(s => new EscalationMails(ticket, escalation, directory, Builders.Links).InvolvedStaff(s, $"<{s.PersonId}@test>")!).ToList();

        staff.Select(s => s.PersonId).ShouldBe(["fac-mgr", "fac-mgr2", "fac-lead"], ignoreOrder: true);
        mails.Select(m => m.To.Single().Email).ShouldBe(["frank.moss@example.edu", "fiona.marsh@example.edu", "felix.long@example.edu"], ignoreOrder: true);
        mails.ShouldAllBe(m => m.Subject.Contains("SD-1010", StringComparison.Ordinal) && m.Text.Contains("Staff:  the team Facilities Help", StringComparison.Ordinal)
            && m.Text.Contains("Reason: Prof. Paul Chen asks: The lab door is stuck.", StringComparison.Ordinal));
        mails.Single(m => m.To[0].Email == "frank.moss@example.edu").Text.ShouldContain("manager of Facilities");
        mails.ShouldAllBe(m => m.Text.Contains("https://desk.example.edu/api/console#/ticket/SD-1010", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_escalation_mail_links_to_the_console_and_the_coordinator_gets_a_link_per_action_never_an_api_path()
    {
        var directory = Builders.Directory();
        var ticket = Builders.Ticket("SD-1011");
        var escalation = EscalationChanges.Request(ticket, new EscalationRequest("prof-paul", "Prof. Paul Chen", "Grant deadline.",
            EscalationChannel.Web, Builders.Monday9am), "req-1", "fp").Value.Escalation;
        escalation.CoordinatorId = "coord-carl";
        var mails = new EscalationMails(ticket, escalation, directory, Builders.Links);

        OutgoingMail?[] all =
        [
            mails.CoordinatorAssigned("coord-carl", "<1@test>"), mails.AcknowledgementMissed("coord-mgr", "coord-carl", "<2@test>"),
            mails.Reminder("coord-carl", "<3@test>"), mails.StatusToManagers("On its way", "<4@test>"),
            mails.RoutedToOwner(["dir-uss"], "Director of User Support Services", null, "<5@test>"),
            mails.EtaToUser("2026-03-06T17:00:00Z", "A new laptop", "<6@test>"),
        ];

        all.ShouldAllBe(m => m != null && m.Text.Contains("https://desk.example.edu/api/console#/", StringComparison.Ordinal));
        all.ShouldAllBe(m => !m!.Text.Contains("/api/tickets/", StringComparison.Ordinal));
        var assigned = all[0]!.Text;
        foreach (var action in new[] { "acknowledge", "step", "eta", "waive", "reassign", "close" })
        {
            assigned.ShouldContain($"https://desk.example.edu/api/console#/queue/SD-1011/E1/{action}");
        }

        assigned.ShouldContain("Assigned to: Ann Agent (Service Desk)");
    }
}
