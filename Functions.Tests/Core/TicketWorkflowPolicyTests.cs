using Escalation.Core.Workflow;

namespace Escalation.Tests.Core;

public class TicketWorkflowPolicyTests
{
    private static readonly DateTimeOffset Due = new(2026, 3, 4, 9, 0, 0, TimeSpan.Zero);
    private static readonly TicketWorkflowState Waiting = new("SD-1001", Due);

    [Fact]
    public void Before_the_deadline_it_waits_for_a_signal_or_the_deadline() =>
        TicketWorkflowPolicy.Next(Waiting, Due.AddSeconds(-1)).ShouldBe(new WorkflowStep.WaitForSignal(Due));

    [Fact]
    public void At_the_deadline_without_a_response_it_escalates() =>
        TicketWorkflowPolicy.Next(Waiting, Due).ShouldBeOfType<WorkflowStep.Escalate>();

    [Fact]
    public void A_deadline_timer_that_fires_early_counts_as_the_deadline_from_version_2_on()
    {
        var current = Waiting with { Version = TicketWorkflowState.CurrentVersion };
        var fired = TicketWorkflowPolicy.AfterDeadlineTimer(current);
        TicketWorkflowPolicy.Next(fired, Due.AddMilliseconds(-700)).ShouldBeOfType<WorkflowStep.Escalate>();
    }

    [Fact]
    public void A_version_1_history_keeps_setting_the_timer_again_so_that_it_replays_as_written()
    {
        var fired = TicketWorkflowPolicy.AfterDeadlineTimer(Waiting);
        TicketWorkflowPolicy.Next(fired, Due.AddMilliseconds(-700)).ShouldBe(new WorkflowStep.WaitForSignal(Due));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    public void From_version_3_on_the_breach_activity_sends_the_notices_itself(int? version, bool withBreach) =>
        TicketWorkflowPolicy.SendsNoticesWithBreach(Waiting with { Version = version }).ShouldBe(withBreach);

    [Fact]
    public void New_instances_and_new_generations_take_the_current_version()
    {
        TicketWorkflowPolicy.ForNewGeneration(Waiting).Version.ShouldBe(TicketWorkflowState.CurrentVersion);
        TicketWorkflowState.For(Escalation.Tests.Support.Builders.Ticket()).Version.ShouldBe(TicketWorkflowState.CurrentVersion);
    }

    [Fact]
    public void After_a_first_response_it_waits_without_a_deadline()
    {
        var state = TicketWorkflowPolicy.Apply(Waiting, Signal(TicketSignalKind.FirstResponse));
        TicketWorkflowPolicy.Next(state, Due.AddDays(5)).ShouldBe(new WorkflowStep.WaitForSignal(null));
    }

    [Fact]
    public void After_escalating_it_keeps_listening_without_escalating_again()
    {
        var state = TicketWorkflowPolicy.AfterBreach(Waiting, new SlaBreachOutcome(false, false, []));
        state.SlaBreached.ShouldBeTrue();
        TicketWorkflowPolicy.Next(state, Due.AddDays(5)).ShouldBe(new WorkflowStep.WaitForSignal(null));
    }

    [Fact]
    public void A_breach_that_finds_the_ticket_answered_records_the_response_instead()
    {
        var state = TicketWorkflowPolicy.AfterBreach(Waiting, new SlaBreachOutcome(AlreadyResponded: true, false, []));
        state.SlaBreached.ShouldBeFalse();
        state.FirstResponseReceived.ShouldBeTrue();
    }

    [Fact]
    public void Resolution_completes_it_even_before_the_deadline()
    {
        var state = TicketWorkflowPolicy.Apply(Waiting, Signal(TicketSignalKind.Resolved));
        TicketWorkflowPolicy.Next(state, Due.AddDays(-1)).ShouldBeOfType<WorkflowStep.Complete>();
    }

    [Fact]
    public void Reassignment_keeps_the_deadline()
    {
        var state = TicketWorkflowPolicy.Apply(Waiting, Signal(TicketSignalKind.Reassigned));
        TicketWorkflowPolicy.Next(state, Due.AddSeconds(-1)).ShouldBe(new WorkflowStep.WaitForSignal(Due));
    }

    [Fact]
    public void After_enough_signals_it_starts_a_new_generation_and_the_count_restarts()
    {
        var state = Waiting;
        for (var i = 0; i < TicketWorkflowPolicy.SignalsPerGeneration; i++)
        {
            state = TicketWorkflowPolicy.Apply(state, Signal(TicketSignalKind.Reassigned));
        }

        TicketWorkflowPolicy.Next(state, Due.AddSeconds(-1)).ShouldBeOfType<WorkflowStep.StartNewGeneration>();
        var next = TicketWorkflowPolicy.ForNewGeneration(state);
        next.SignalsThisGeneration.ShouldBe(0);
        next.FirstResponseDueAt.ShouldBe(Due);
    }

    [Fact]
    public void An_overdue_escalation_comes_before_a_new_generation()
    {
        var state = Waiting with { SignalsThisGeneration = TicketWorkflowPolicy.SignalsPerGeneration };
        TicketWorkflowPolicy.Next(state, Due).ShouldBeOfType<WorkflowStep.Escalate>();
    }

    [Fact]
    public void An_escalation_request_starts_its_coordinator_orchestration_once_and_resolution_ends_it()
    {
        var requested = TicketWorkflowPolicy.Apply(Waiting, Signal(TicketSignalKind.EscalationRequested) with { EscalationId = "E1" });
        var step = TicketWorkflowPolicy.Next(requested, Due.AddDays(-1)).ShouldBeOfType<WorkflowStep.StartEscalations>();
        step.EscalationIds.ShouldBe(["E1"]);

        var started = TicketWorkflowPolicy.AfterEscalationsStarted(requested, step.EscalationIds);
        var merged = TicketWorkflowPolicy.Apply(started, Signal(TicketSignalKind.EscalationRequested) with { EscalationId = "E1" });
        TicketWorkflowPolicy.Next(merged, Due.AddDays(-1)).ShouldBe(new WorkflowStep.WaitForSignal(Due), "a merged request starts nothing new");

        var resolved = TicketWorkflowPolicy.Apply(merged, Signal(TicketSignalKind.Resolved));
        TicketWorkflowPolicy.Next(resolved, Due).ShouldBeOfType<WorkflowStep.EndEscalations>().EscalationIds.ShouldBe(["E1"]);
        TicketWorkflowPolicy.Next(TicketWorkflowPolicy.AfterEscalationsEnded(resolved), Due).ShouldBeOfType<WorkflowStep.Complete>();
    }

    [Fact]
    public void A_closed_escalation_is_no_longer_kept()
    {
        var requested = TicketWorkflowPolicy.Apply(Waiting, Signal(TicketSignalKind.EscalationRequested) with { EscalationId = "E1" });
        var closed = TicketWorkflowPolicy.Apply(requested, Signal(TicketSignalKind.EscalationClosed) with { EscalationId = "E1" });
        closed.OpenEscalationIds.ShouldBeEmpty();
        closed.EscalationIdsToStart.ShouldBeEmpty();
        TicketWorkflowPolicy.ForNewGeneration(requested).OpenEscalationIds.ShouldBe(["E1"], "kept across generations");
    }

    [Fact]
    public void A_kind_this_version_does_not_know_is_recognised_as_such() =>
        TicketWorkflowPolicy.Understands(Signal((TicketSignalKind)99)).ShouldBeFalse();

    private static TicketSignal Signal(TicketSignalKind kind) => new(kind, "agent-ann", Due.AddHours(-1));
}

public class ActivityRetryPolicyTests
{
    /// <summary>The retry schedule Durable follows: each wait doubles from the first up to the cap, until the timeout.</summary>
    private static List<TimeSpan> Waits()
    {
        var policy = Escalation.Core.Workflow.TicketOrchestrator.ActivityRetryPolicy;
        var waits = new List<TimeSpan>();
        var elapsed = TimeSpan.Zero;
        for (var attempt = 1; attempt < policy.MaxNumberOfAttempts && elapsed < policy.RetryTimeout; attempt++)
        {
            var wait = TimeSpan.FromTicks((long)Math.Min(policy.FirstRetryInterval.Ticks * Math.Pow(policy.BackoffCoefficient, attempt - 1),
                policy.MaxRetryInterval.Ticks));
            waits.Add(wait);
            elapsed += wait;
        }

        return waits;
    }

    [Fact]
    public void Activities_are_retried_through_a_week_long_outage() =>
        Waits().Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromDays(7));

    [Fact]
    public void After_recovery_a_mail_waits_at_most_five_minutes_for_its_next_attempt() =>
        Waits().Max().ShouldBeLessThanOrEqualTo(TimeSpan.FromMinutes(5));

    [Fact]
    public void A_short_outage_is_retried_within_seconds() =>
        Waits().Take(3).Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait).ShouldBeLessThan(TimeSpan.FromSeconds(10));
}
