using Escalation.Core.Identity;
using Escalation.Core.Intake;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Escalation.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Escalation.Tests.Workflow;

/// <summary>Whole ticket orchestrations on a real Durable Task engine, with the real store, SendGrid client and activities.</summary>
[Collection(CosmosCollection.Name)]
public sealed class TicketOrchestrationTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);
    private static readonly Caller Ann = new("agent-ann", "Ann Agent", "ann.agent@example.edu", new HashSet<string> { Roles.Agent });
    private TestApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await TestApp.StartAsync(cosmos, new Dictionary<string, string?> { ["Sla:DefaultWindow"] = Window.ToString() }, withDurable: true);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Without_a_response_each_recipient_gets_exactly_one_notice_after_the_window()
    {
        var number = await SubmitAsync("Laptop will not boot");

        var ticket = await _app.WaitForTicketAsync(number, t => t.History.Count(h => h.Type == HistoryEntryType.NoticeSent) == 2);
        await Task.Delay(TimeSpan.FromSeconds(1)); // anything extra would arrive now

        var mails = _app.SendGrid.Mails;
        mails.Select(m => m.To.Single()).ShouldBe(["dana.reyes@example.edu", "lee.park@example.edu"], ignoreOrder: true);
        mails.ShouldAllBe(m => m.Subject.StartsWith($"[{number}] Escalation", StringComparison.Ordinal));
        mails.Single(m => m.To[0] == "lee.park@example.edu").Text.ShouldContain("lead of Service Desk");
        mails.Select(m => m.MessageId).Distinct().Count().ShouldBe(2);
        mails.ShouldAllBe(m => m.Text.Contains($"http://127.0.0.1:7071/api/console#/ticket/{number}", StringComparison.Ordinal));

        ticket.Status.ShouldBe(TicketStatus.Escalated);
        ticket.History.Count(h => h.Type == HistoryEntryType.SlaBreached).ShouldBe(1);
        ticket.EscalatedAt!.Value.ShouldBeGreaterThanOrEqualTo(ticket.SlaDueAt);
        _app.Events.Published.Select(p => p.Event.RecipientId).ShouldBe(["dir-uss", "lead-desk"], ignoreOrder: true);
        (await InstanceAsync(number)).RuntimeStatus.ShouldBe(OrchestrationRuntimeStatus.Running, "it keeps listening for later signals");
    }

    [Fact]
    public async Task A_response_before_the_window_means_no_notice()
    {
        var number = await SubmitAsync("Printer jam");

        var responded = await _app.Get<TicketActions>().RespondAsync(new RespondCommand(number, Ann, "On my way", new ActionKey("r1")), _app.Workflow);
        responded.Value.Sla.Status.ShouldBe(SlaStatus.Met);
        await Task.Delay(Window + TimeSpan.FromSeconds(2));

        _app.SendGrid.Mails.ShouldHaveSingleItem().To.ShouldBe(["ursula.user@example.edu"], "the reply reaches the requester; no notice goes out");
        var ticket = await _app.TicketAsync(number);
        ticket.Status.ShouldBe(TicketStatus.InProgress);
        ticket.History.ShouldNotContain(h => h.Type == HistoryEntryType.SlaBreached);
        (await InstanceAsync(number)).RuntimeStatus.ShouldBe(OrchestrationRuntimeStatus.Running);
    }

    [Fact]
    public async Task A_reassignment_while_waiting_escalates_to_the_new_area_and_every_lead_involved()
    {
        var number = await SubmitAsync("Cannot print");

        var reassigned = await _app.Get<TicketActions>().ReassignAsync(
            new ReassignCommand(number, Ann, "network-team", "agent-bob", new ActionKey("x1")), _app.Workflow);
        reassigned.IsSuccess.ShouldBeTrue();

        await _app.WaitForTicketAsync(number, t => t.History.Count(h => h.Type == HistoryEntryType.NoticeSent) == 3);
        _app.SendGrid.Mails.Select(m => m.To.Single())
            .ShouldBe(["nikhil.rao@example.edu", "lee.park@example.edu", "nora.ali@example.edu"], ignoreOrder: true);
    }

    [Fact]
    public async Task Resolution_while_waiting_ends_the_orchestration_without_notices()
    {
        var number = await SubmitAsync("Password reset");

        (await _app.Get<TicketActions>().ResolveAsync(new ResolveCommand(number, Ann, "Reset done", new ActionKey("z1")), _app.Workflow)).IsSuccess.ShouldBeTrue();

        var instance = await _app.Durable!.Client.WaitForInstanceCompletionAsync(TicketWorkflow.InstanceId(number), getInputsAndOutputs: true,
            new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        instance.RuntimeStatus.ShouldBe(OrchestrationRuntimeStatus.Completed);
        await Task.Delay(Window);
        _app.SendGrid.Mails.ShouldHaveSingleItem().Subject.ShouldStartWith($"[{number}] Resolved:", Case.Sensitive, "only the resolution, to the requester");
        (await _app.TicketAsync(number)).Status.ShouldBe(TicketStatus.Resolved);
    }

    [Fact]
    public async Task A_retried_notice_activity_still_sends_one_email_per_recipient()
    {
        // The first two publishes fail after their e-mails went out: both activities are retried by Durable.
        _app.Events.FailNext(2);
        var number = await SubmitAsync("VPN drops", category: "network");

        await _app.WaitForTicketAsync(number, t => t.Notices.Count == 2 && t.Notices.All(n => n.EventPublishedAt is not null),
            TimeSpan.FromSeconds(60));

        _app.SendGrid.Mails.Select(m => m.To.Single()).ShouldBe(["nikhil.rao@example.edu", "nora.ali@example.edu"], ignoreOrder: true);
        _app.Events.Published.Count.ShouldBe(2);
        (await _app.TicketAsync(number)).History.Count(h => h.Type == HistoryEntryType.NoticeSent).ShouldBe(2);
        await ResolveAndWaitAsync(number);
        ActivitiesOf(number).ShouldBe(
            [TicketWorkflow.EscalateSlaBreachActivity, TicketWorkflow.SendEscalationNoticeActivity, TicketWorkflow.SendEscalationNoticeActivity],
            "the notices the breach activity could not finish are retried as activities of their own");
    }

    [Fact]
    public async Task A_breach_is_recorded_and_notified_in_one_activity_while_a_version_2_instance_keeps_its_fan_out()
    {
        var current = await SubmitAsync("Laptop will not boot");
        // An instance started before version 3 (ADR 8 rule 4) replays and escalates as its history was written.
        var older = Builders.Ticket(number: "SD-7110", createdAt: DateTimeOffset.UtcNow, window: Window);
        (await _app.Get<TicketStore>().CreateAsync(older)).ShouldBeTrue();
        await _app.Durable!.Client.ScheduleNewOrchestrationInstanceAsync(TicketOrchestrator.Name, TicketWorkflowState.For(older) with { Version = 2 },
            new StartOrchestrationOptions(TicketWorkflow.InstanceId(older.Number)));

        foreach (var number in new[] { current, older.Number })
        {
            await _app.WaitForTicketAsync(number, t => t.History.Count(h => h.Type == HistoryEntryType.NoticeSent) == 2);
            await ResolveAndWaitAsync(number); // every activity the breach scheduled has run by then
        }

        ActivitiesOf(current).ShouldBe([TicketWorkflow.EscalateSlaBreachActivity]);
        ActivitiesOf(older.Number).ShouldBe(
            [TicketWorkflow.RecordSlaBreachActivity, TicketWorkflow.SendEscalationNoticeActivity, TicketWorkflow.SendEscalationNoticeActivity]);
        _app.SendGrid.Mails.Count.ShouldBe(4);
    }

    [Fact]
    public async Task Signals_keep_flowing_across_new_generations_of_a_long_lived_orchestration()
    {
        var number = await SubmitAsync("Long story");
        var signals = TicketWorkflowPolicy.SignalsPerGeneration + 5;
        for (var i = 0; i < signals; i++)
        {
            (await _app.Workflow.SignalAsync(number, new TicketSignal(TicketSignalKind.Reassigned, "agent-ann", DateTimeOffset.UtcNow))).ShouldBeTrue();
        }

        await _app.Workflow.SignalAsync(number, new TicketSignal(TicketSignalKind.Resolved, "agent-ann", DateTimeOffset.UtcNow));

        var instance = await _app.Durable!.Client.WaitForInstanceCompletionAsync(TicketWorkflow.InstanceId(number), getInputsAndOutputs: true,
            new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        instance.RuntimeStatus.ShouldBe(OrchestrationRuntimeStatus.Completed);
        instance.ReadOutputAs<string>().ShouldBe($"{number} resolved");
    }

    [Fact]
    public async Task The_start_queued_at_intake_keeps_an_orchestration_that_a_signal_started_first()
    {
        // An agent answers before the starter got to the new ticket (ADR 12): the signal starts the orchestration from
        // the ticket, and the intake's start, made afterwards, must not replace it with the state from before the answer.
        var ticket = Builders.Ticket(number: "SD-7100", createdAt: DateTimeOffset.UtcNow, window: TimeSpan.FromDays(1));
        (await _app.Get<TicketStore>().CreateAsync(ticket)).ShouldBeTrue();
        var workflow = _app.Get<TicketWorkflows>().For(_app.Durable!.Client);
        (await workflow.SignalAsync(ticket.Number, new TicketSignal(TicketSignalKind.FirstResponse, "agent-ann", DateTimeOffset.UtcNow))).ShouldBeTrue();
        // Read once it runs: while pending, the in-memory backend reports the time it queued the start as CreatedAt,
        // and once running the time of the start event, a few microseconds apart.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await _app.Durable.Client.WaitForInstanceStartAsync(TicketWorkflow.InstanceId(ticket.Number), timeout.Token);

        (await workflow.ScheduleNewAsync(TicketWorkflowState.For(ticket))).ShouldBeFalse("one is alive");

        var after = await InstanceAsync(ticket.Number);
        after.CreatedAt.ShouldBe(first.CreatedAt, "the orchestration the signal started was kept, not replaced");
        after.RuntimeStatus.ShouldBe(OrchestrationRuntimeStatus.Running);
    }

    [Fact]
    public async Task A_new_ticket_s_orchestration_is_scheduled_by_the_starter_after_intake_answers()
    {
        var number = await SubmitAsync("Monitor flickers");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var instance = await _app.Durable!.Client.WaitForInstanceStartAsync(TicketWorkflow.InstanceId(number), timeout.Token);
        instance.RuntimeStatus.ShouldBe(OrchestrationRuntimeStatus.Running);
        await WaitUntilAsync(() => _app.Get<OrchestrationStarter>().Queued == 0);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    private async Task<string> SubmitAsync(string subject, string? category = null)
    {
        var message = new IntakeMessage(Channel.Web, Guid.NewGuid().ToString(), new RequesterClaim("user-ursula", "Ursula User"),
            subject, "Details of the problem.", category);
        var receipt = await _app.Get<IntakePipeline>().SubmitAsync(message, _app.Workflow);
        receipt.IsSuccess.ShouldBeTrue(string.Join("; ", receipt.Errors));
        return receipt.Value.TicketNumber;
    }

    private IReadOnlyList<string> ActivitiesOf(string number) => _app.ActivityRequests.For(TicketWorkflow.InstanceId(number));

    private async Task ResolveAndWaitAsync(string number)
    {
        (await _app.Workflow.SignalAsync(number, new TicketSignal(TicketSignalKind.Resolved, "agent-ann", DateTimeOffset.UtcNow))).ShouldBeTrue();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        (await _app.Durable!.Client.WaitForInstanceCompletionAsync(TicketWorkflow.InstanceId(number), timeout.Token))
            .RuntimeStatus.ShouldBe(OrchestrationRuntimeStatus.Completed);
    }

    private async Task<OrchestrationMetadata> InstanceAsync(string number) =>
        (await _app.Durable!.Client.GetInstanceAsync(TicketWorkflow.InstanceId(number)))!;
}
