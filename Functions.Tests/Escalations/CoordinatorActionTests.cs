using Escalation.Core.Escalations;
using Escalation.Core.Identity;
using Escalation.Core.Notifications;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Escalation.Functions.Http;
using Escalation.Tests.Support;
using Microsoft.DurableTask.Client;

namespace Escalation.Tests.Escalations;

/// <summary>The Escalation Coordinator's action endpoints on a running coordinator orchestration (real store, Durable, mail capture).</summary>
[Collection(CosmosCollection.Name)]
public sealed class CoordinatorActionTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private static readonly Caller Carl = EscalationHarness.Carl;
    private TestApp _app = null!;
    private EscalationHarness _escalations = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(cosmos, new Dictionary<string, string?>
        {
            ["Escalations:AcknowledgementWindow"] = "01:00:00",
            ["Escalations:ReminderInterval"] = "01:00:00",
        }, withDurable: true);
        _escalations = new EscalationHarness(_app);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Acknowledgement_in_time_means_no_mail_to_the_coordinators_manager()
    {
        var number = await AssignedAsync();

        var acknowledged = await _escalations.ActAsync(number, "E1", "acknowledge", Carl);

        acknowledged.Status.ShouldBe(200, acknowledged.Body);
        await _escalations.WaitForProgressAsync(number, p => p.Phase == "working" && p.PendingOutbox == 0);
        (await _app.TicketAsync(number)).History.ShouldContain(h => h.Type == HistoryEntryType.EscalationAcknowledged && h.Actor == "coord-carl");
        _escalations.MailsTo("morgan.c@example.edu").ShouldBeEmpty();
        _app.Events.EscalationEvents.Values.ShouldContain(e => e.Kind == EscalationEventKind.Acknowledged && e.CoordinatorId == "coord-carl");
        (await _escalations.ActAsync(number, "E1", "acknowledge", Carl)).Status.ShouldBe(200, "acknowledging again changes nothing");
    }

    [Theory]
    [InlineData(null, new[] { "dana.reyes@example.edu" }, "User Support Services")]                        // USS: its Director
    [InlineData("network", new[] { "nikhil.rao@example.edu" }, "Networking")]                              // another IT area: its manager
    [InlineData("facilities", new[] { "frank.moss@example.edu", "fiona.marsh@example.edu" }, "Facilities")] // outside IT: division managers
    public async Task Step_5_routes_to_the_owner_with_the_CIO_in_copy(string? category, string[] managers, string unit)
    {
        var number = await AcknowledgedAsync(category);

        var routed = await _escalations.ActAsync(number, "E1", "steps/5", Carl, """{"note":"Needs a replacement device today."}""");

        routed.Status.ShouldBe(200, routed.Body);
        await _escalations.WaitForOutboxAsync(number);
        var mail = _app.SendGrid.Mails.Single(m => m.Subject.Contains("please follow up with the user", StringComparison.Ordinal));
        mail.To.ShouldBe(managers, ignoreOrder: true);
        mail.Cc.ShouldBe(["cio@example.edu"]);
        mail.Text.ShouldContain(unit);
        mail.Text.ShouldContain("Needs a replacement device today.");
        _app.Events.EscalationEvents.Values.ShouldContain(e => e.Kind == EscalationEventKind.Routed && e.TicketNumber == number);
    }

    [Fact]
    public async Task Step_4_emails_the_escalating_managers_the_status()
    {
        var number = await AcknowledgedAsync();

        (await _escalations.ActAsync(number, "E1", "steps/4", Carl)).Status.ShouldBe(400, "the status text is required");
        (await _escalations.ActAsync(number, "E1", "steps/4", Carl, """{"note":"A technician is on the way."}""")).Status.ShouldBe(200);

        await _escalations.WaitForOutboxAsync(number);
        var mail = _escalations.MailsTo("paul.chen@example.edu").Single(m => m.Subject.Contains(": status", StringComparison.Ordinal));
        mail.Text.ShouldContain("A technician is on the way.");
        mail.Cc.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_eta_is_emailed_to_the_user_with_the_CIO_in_copy_and_shown_to_the_requester_side()
    {
        var number = await AcknowledgedAsync();
        var resolveBy = DateTimeOffset.UtcNow.AddDays(2);

        var sent = await _escalations.ActAsync(number, "E1", "eta", Carl,
            $$"""{"resolveBy":"{{resolveBy:O}}","message":"A new laptop is being imaged for you."}""");

        sent.Status.ShouldBe(200, sent.Body);
        await _escalations.WaitForOutboxAsync(number);
        var mail = _escalations.MailsTo("ursula.user@example.edu").Single();
        mail.Cc.ShouldBe(["cio@example.edu"]);
        mail.Text.ShouldContain("A new laptop is being imaged for you.");
        var publicView = await _escalations.GetAsync(number, "E1", HttpCall.Person("user-ursula"));
        publicView.Status.ShouldBe(200);
        publicView.Json.GetProperty("eta").GetProperty("message").GetString().ShouldBe("A new laptop is being imaged for you.");
        publicView.Json.TryGetProperty("checklist", out _).ShouldBeFalse("the requester's side sees only that it is escalated and the ETA");
        var staffView = await _escalations.GetAsync(number, "E1", HttpCall.Person("agent-ann", Roles.Agent));
        staffView.Json.GetProperty("checklist").GetArrayLength().ShouldBe(7);
        staffView.Json.GetProperty("requests")[0].GetProperty("justification").GetString()!.ShouldContain("Grant deadline");
    }

    [Fact]
    public async Task Close_is_refused_with_an_open_step_and_allowed_once_every_step_is_done_or_waived()
    {
        var number = await AcknowledgedAsync();
        (await _escalations.ActAsync(number, "E1", "eta", Carl,
            $$"""{"resolveBy":"{{DateTimeOffset.UtcNow.AddDays(1):O}}","message":"Tomorrow."}""")).Status.ShouldBe(200);
        (await _escalations.ActAsync(number, "E1", "steps/1", Carl)).Status.ShouldBe(200);

        var refused = await _escalations.ActAsync(number, "E1", "close", Carl);
        refused.Status.ShouldBe(409);
        refused.Json.GetProperty("detail").GetString()!.ShouldContain("steps 2, 3, 4, 5, 6, 7");

        (await _escalations.ActAsync(number, "E1", "waive", Carl, """{"step":2}""")).Status.ShouldBe(400, "a waiver needs a reason");
        for (var step = 2; step <= 7; step++)
        {
            (await _escalations.ActAsync(number, "E1", "waive", Carl, $$"""{"step":{{step}},"reason":"Resolved by the user's own IT contact."}"""))
                .Status.ShouldBe(200);
        }

        (await _escalations.ActAsync(number, "E1", "close", Carl, """{"note":"Done."}""")).Status.ShouldBe(200);
        var ended = await _app.Durable!.Client.WaitForInstanceCompletionAsync(EscalationWorkflow.InstanceId(number, "E1"),
            new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        ended.RuntimeStatus.ShouldBe(OrchestrationRuntimeStatus.Completed);
        _app.Events.EscalationEvents.Values.ShouldContain(e => e.Kind == EscalationEventKind.Closed && e.TicketNumber == number);
        (await _escalations.ActAsync(number, "E1", "steps/1", Carl)).Status.ShouldBe(409, "closed");
        (await _escalations.RequestAsync(number)).Status.ShouldBe(202, "a later request opens a new escalation");
        (await _escalations.WaitForOutboxAsync(number, e => e.CoordinatorId is not null, "E2")).Id.ShouldBe("E2");
    }

    [Fact]
    public async Task Only_coordinators_act_another_one_takes_over_order_matters_and_retries_change_nothing()
    {
        var number = await AssignedAsync();

        (await _escalations.ActAsync(number, "E1", "acknowledge", HttpCall.Person("agent-ann", Roles.Agent))).Status.ShouldBe(403);
        (await _escalations.ActAsync(number, "E1", "acknowledge", HttpCall.Person("lead-desk", Roles.Coordinator))).Status.ShouldBe(403, "not on the roster");
        (await _escalations.ActAsync(number, "E1", "steps/1", Carl)).Status.ShouldBe(409, "acknowledge first");

        var takenOver = await _escalations.ActAsync(number, "E1", "steps/1", EscalationHarness.Cora, """{"note":"Read it all."}""", key: "s1");
        var retried = await _escalations.ActAsync(number, "E1", "steps/1", EscalationHarness.Cora, """{"note":"Read it all."}""", key: "s1");
        var reused = await _escalations.ActAsync(number, "E1", "steps/1", EscalationHarness.Cora, """{"note":"Other."}""", key: "s1");

        takenOver.Status.ShouldBe(200, takenOver.Body);
        takenOver.Json.GetProperty("coordinatorId").GetString().ShouldBe("coord-cora");
        retried.Status.ShouldBe(200);
        reused.Status.ShouldBe(409);
        (await _escalations.ActAsync(number, "E1", "steps/7", EscalationHarness.Cora)).Status.ShouldBe(409, "step 6 first");
        var ticket = await _app.TicketAsync(number);
        ticket.History.Count(h => h.Type == HistoryEntryType.EscalationStepDone).ShouldBe(1);
        ticket.History.ShouldContain(h => h.Type == HistoryEntryType.EscalationAssigned && h.Summary.Contains("taken over by coord-cora", StringComparison.Ordinal));
        var item = ticket.Escalations[0].Item(ChecklistStep.ReviewedTicket);
        (item.DoneBy, item.Note).ShouldBe(("coord-cora", "Read it all."));
    }

    [Fact]
    public async Task Concurrent_coordinator_actions_lose_nothing()
    {
        var number = await AcknowledgedAsync();

        var actions = await Task.WhenAll(
            _escalations.ActAsync(number, "E1", "steps/1", Carl),
            _escalations.ActAsync(number, "E1", "steps/2", Carl, """{"note":"User needs the thesis files."}"""),
            _escalations.ActAsync(number, "E1", "steps/3", Carl),
            _escalations.ActAsync(number, "E1", "steps/4", Carl, """{"note":"In progress."}"""),
            _escalations.ActAsync(number, "E1", "eta", Carl, $$"""{"resolveBy":"{{DateTimeOffset.UtcNow.AddDays(1):O}}","message":"Tomorrow."}"""));

        actions.ShouldAllBe(a => a.Status == 200);
        var escalation = await _escalations.WaitForOutboxAsync(number);
        escalation.OpenSteps.ShouldBe([ChecklistStep.RoutedToOwner, ChecklistStep.OwnerFollowedUp, ChecklistStep.FollowUpDocumented]);
        escalation.Etas.Count.ShouldBe(1);
        _escalations.MailsTo("ursula.user@example.edu").Count.ShouldBe(1);
        _escalations.MailsTo("paul.chen@example.edu").Count.ShouldBe(1);
    }

    private async Task<string> AssignedAsync(string? category = null)
    {
        var number = await _escalations.SubmitAsync(category: category);
        (await _escalations.RequestAsync(number)).Status.ShouldBe(202);
        await _escalations.WaitForOutboxAsync(number, e => e.CoordinatorId is not null);
        return number;
    }

    private async Task<string> AcknowledgedAsync(string? category = null)
    {
        var number = await AssignedAsync(category);
        (await _escalations.ActAsync(number, "E1", "acknowledge", Carl)).Status.ShouldBe(200);
        await _escalations.WaitForOutboxAsync(number, e => e.AcknowledgedAt is not null);
        return number;
    }
}

/// <summary>Acknowledgement deadlines and reminders with windows of seconds.</summary>
[Collection(CosmosCollection.Name)]
public sealed class AcknowledgementDeadlineTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);
    private TestApp _app = null!;
    private EscalationHarness _escalations = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(cosmos, new Dictionary<string, string?>
        {
            ["Escalations:AcknowledgementWindow"] = Window.ToString(),
            ["Escalations:ReminderInterval"] = "00:00:02",
        }, withDurable: true);
        _escalations = new EscalationHarness(_app);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_missed_acknowledgement_emails_the_coordinators_manager_once_and_a_reassignment_restarts_the_wait()
    {
        var number = await _escalations.SubmitAsync();
        (await _escalations.RequestAsync(number)).Status.ShouldBe(202);

        await _escalations.WaitForOutboxAsync(number, e => e.ManagerContactedRound == 1);
        await Task.Delay(Window + TimeSpan.FromSeconds(1)); // a second mail for the same deadline would arrive now
        var missed = _escalations.MailsTo("morgan.c@example.edu").Single();
        missed.Subject.ShouldContain("not acknowledged in time");
        missed.Text.ShouldContain("Carl Coordinator");
        (await _escalations.WaitForProgressAsync(number, p => p.ManagerContactedRound == 1)).Phase.ShouldBe("awaiting-acknowledgement");

        var morgan = HttpCall.Person("coord-mgr", Roles.Manager);
        var reassigned = await _escalations.ActAsync(number, "E1", "reassign", morgan, """{"reason":"Carl is out today."}""");

        reassigned.Status.ShouldBe(200, reassigned.Body);
        reassigned.Json.GetProperty("coordinatorId").GetString().ShouldBe("coord-cora");
        await _escalations.WaitForOutboxAsync(number, e => e.ManagerContactedRound == 2);
        _escalations.MailsTo("morgan.c@example.edu").Count.ShouldBe(2, "the new deadline was missed too: once more");
        _escalations.MailsTo("cora.c@example.edu").Count(m => m.Subject.Contains("assigned to you", StringComparison.Ordinal)).ShouldBe(1);
        (await _escalations.ActAsync(number, "E1", "reassign", HttpCall.Person("net-mgr", Roles.Manager))).Status.ShouldBe(403);
    }

    [Fact]
    public async Task Open_steps_are_reminded_at_most_once_per_interval()
    {
        var number = await _escalations.SubmitAsync();
        (await _escalations.RequestAsync(number)).Status.ShouldBe(202);
        await _escalations.WaitForOutboxAsync(number, e => e.CoordinatorId is not null);
        (await _escalations.ActAsync(number, "E1", "acknowledge", EscalationHarness.Carl)).Status.ShouldBe(200);

        var escalation = await _escalations.WaitForOutboxAsync(number, e => e.RemindersSent >= 2);

        var reminders = _escalations.MailsTo("carl.c@example.edu").Where(m => m.Subject.Contains("open checklist steps", StringComparison.Ordinal)).ToList();
        reminders.Count.ShouldBeInRange(2, 3);
        reminders[0].Text.ShouldContain("step 1: reviewed the ticket");
        var sent = (await _app.TicketAsync(number)).Notices.Where(n => n.NoticeId.Contains(".reminder.", StringComparison.Ordinal))
            .OrderBy(n => n.EmailSentAt).Select(n => n.EmailSentAt!.Value).ToList();
        (sent[1] - sent[0]).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9));
        escalation.LastReminderAt.ShouldNotBeNull();
    }
}
