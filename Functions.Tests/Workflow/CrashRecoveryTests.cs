using Ardalis.Result;
using Escalation.Core;
using Escalation.Core.Escalations;
using Escalation.Core.Notifications;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Escalation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Escalation.Tests.Workflow;

/// <summary>
/// What another instance does for the tickets an instance that crashed held (ADR 15): the starts it had queued in
/// memory are made by the quick sweep, and notices it had not sent go out through the overdue safety net, once each,
/// even when the dead instance had claimed one.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class CrashRecoveryTests(CosmosServerFixture cosmos)
{
    private static int _next = 9100;

    private static string NextNumber() => $"SD-{Interlocked.Increment(ref _next)}";

    [Fact]
    public async Task A_ticket_past_its_deadline_that_its_orchestration_did_not_escalate_is_escalated_by_the_safety_net_once()
    {
        await using var app = await TestApp.StartAsync(cosmos);
        var now = DateTimeOffset.UtcNow;
        var overdue = await StoreAsync(app, dueAgo: TimeSpan.FromSeconds(30));
        var withinGrace = await StoreAsync(app, dueAgo: TimeSpan.FromSeconds(5));
        var longAgo = await StoreAsync(app, dueAgo: OverdueEscalations.Window + TimeSpan.FromMinutes(1));
        var answered = await StoreAsync(app, dueAgo: TimeSpan.FromSeconds(30));
        (await app.Get<TicketStore>().UpdateAsync(answered, t => t.Respond("r1", "agent-ann", "On it", true, now).Map(_ => true))).IsSuccess.ShouldBeTrue();
        var safetyNet = app.Get<OverdueEscalations>();

        (await safetyNet.EscalateAsync()).ShouldBe(1);
        (await safetyNet.EscalateAsync()).ShouldBe(0, "its notices are out");

        var escalated = await app.TicketAsync(overdue);
        escalated.EscalatedAt.ShouldNotBeNull();
        var recipients = EscalationRecipients.For(escalated, await DirectoryAsync(app)).Where(r => r.Email is not null).ToList();
        recipients.Count.ShouldBeGreaterThan(1);
        app.SendGrid.Mails.Select(m => m.To.Single()).ShouldBe(recipients.Select(r => r.Email!), ignoreOrder: true);
        app.SendGrid.Mails.ShouldAllBe(m => m.Subject.StartsWith($"[{overdue}]", StringComparison.Ordinal));
        foreach (var untouched in new[] { withinGrace, longAgo, answered })
        {
            (await app.TicketAsync(untouched)).EscalatedAt.ShouldBeNull(untouched);
        }
    }

    [Fact]
    public async Task A_notice_claimed_by_an_instance_that_died_goes_out_once_its_claim_lapses_and_once_only()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(cosmos, timeProvider: time);
        var number = await StoreAsync(app, dueAgo: TimeSpan.FromSeconds(25), now: time.GetUtcNow());
        var directory = await DirectoryAsync(app);
        var stored = await app.TicketAsync(number);
        var claimed = EscalationRecipients.For(stored, directory).First(r => r.Email is not null);
        // The dead instance recorded the breach and claimed one notice a second ago; whether it sent it, nobody knows.
        (await app.Get<TicketStore>().UpdateAsync(number, t =>
        {
            t.RecordSlaBreach(time.GetUtcNow() - TimeSpan.FromSeconds(2));
            t.ClaimNotice(EscalationActivities.SlaNoticeId(number, claimed.PersonId), claimed.PersonId, time.GetUtcNow() - TimeSpan.FromSeconds(1),
                TicketMailer.ClaimLease);
            return Result.Success(true);
        })).IsSuccess.ShouldBeTrue();
        var safetyNet = app.Get<OverdueEscalations>();

        (await safetyNet.EscalateAsync()).ShouldBe(0, "one notice is still claimed");
        app.SendGrid.Mails.ShouldNotContain(m => m.To.Contains(claimed.Email!));
        var others = app.SendGrid.Mails.Count;
        others.ShouldBeGreaterThan(0, "the other notices do not wait for the claimed one");

        time.Advance(TicketMailer.ClaimLease);
        (await safetyNet.EscalateAsync()).ShouldBe(1);
        (await safetyNet.EscalateAsync()).ShouldBe(0);

        app.SendGrid.Mails.Count(m => m.To.Contains(claimed.Email!)).ShouldBe(1);
        app.SendGrid.Mails.Count.ShouldBe(others + 1);
        (await app.TicketAsync(number)).History.Count(h => h.Type == HistoryEntryType.SlaBreached).ShouldBe(1);
    }

    [Fact]
    public async Task A_start_that_died_with_its_instance_is_made_by_the_quick_sweep_and_old_tickets_are_left_to_the_full_one()
    {
        await using var app = await TestApp.StartAsync(cosmos, withDurable: true);
        var now = DateTimeOffset.UtcNow;
        var lost = await StoreAsync(app, dueAgo: -TimeSpan.FromHours(1), openedAgo: OrchestrationSweep.RecentGrace + TimeSpan.FromSeconds(5), now: now);
        var justStored = await StoreAsync(app, dueAgo: -TimeSpan.FromHours(1), openedAgo: TimeSpan.Zero, now: now);
        var old = await StoreAsync(app, dueAgo: -TimeSpan.FromHours(1), openedAgo: OrchestrationSweep.RecentWindow + TimeSpan.FromMinutes(1), now: now);
        var sweep = app.Get<OrchestrationSweep>();

        (await sweep.RepairRecentAsync(app.Workflow)).ShouldBe(1);
        (await app.Workflow.IsRunningAsync(lost)).ShouldBeTrue();
        (await app.Workflow.IsRunningAsync(justStored)).ShouldBeFalse("its own instance is starting it right now");
        (await app.Workflow.IsRunningAsync(old)).ShouldBeFalse();

        (await sweep.RepairAsync(app.Workflow)).ShouldBe(1, "the full sweep takes the old one; the young one is still in its grace");
        (await app.Workflow.IsRunningAsync(old)).ShouldBeTrue();
    }

    [Fact]
    public async Task Operations_see_each_notice_once_with_how_late_it_left()
    {
        await using var app = await TestApp.StartAsync(cosmos);
        using var metrics = new MetricCapture();
        var onTime = await StoreAsync(app, dueAgo: TimeSpan.FromSeconds(30));
        var late = await StoreAsync(app, dueAgo: TimeSpan.FromSeconds(90));
        var safetyNet = app.Get<OverdueEscalations>();

        await safetyNet.EscalateAsync();
        await safetyNet.EscalateAsync();

        var mails = app.SendGrid.Mails.Count;
        metrics.Sum(EscalationTelemetry.NoticesSent).ShouldBe(mails);
        var lags = metrics.Values(EscalationTelemetry.NoticeLag);
        lags.Count.ShouldBe(mails, "recorded when a notice is sent, not when a retry finds it sent");
        lags.Count(l => l is >= 30 and < 60).ShouldBe(app.SendGrid.Mails.Count(m => m.Subject.StartsWith($"[{onTime}]", StringComparison.Ordinal)));
        metrics.Sum(EscalationTelemetry.NoticesLate).ShouldBe(app.SendGrid.Mails.Count(m => m.Subject.StartsWith($"[{late}]", StringComparison.Ordinal)));
        metrics.Sum(EscalationTelemetry.NoticesLate).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_send_gives_up_well_before_another_attempt_may_take_over_its_claim()
    {
        await using var app = await TestApp.StartAsync(cosmos, loadDirectory: false);
        var client = app.Get<IHttpClientFactory>().CreateClient(SendGridMailSender.HttpClientName);

        client.Timeout.ShouldBe(SendGridMailSender.Timeout);
        (TicketMailer.ClaimLease >= 2 * SendGridMailSender.Timeout).ShouldBeTrue(
            "a send still waiting on the provider must not meet a second attempt of the same mail (ADR 3)");
        TicketMailer.ClaimLease.ShouldBeLessThan(TimeSpan.FromSeconds(60), "a claim a dead instance left must not hold a notice past a minute (ADR 15)");
    }

    /// <summary>Stores an unanswered ticket due <paramref name="dueAgo"/> ago (negative: in the future), without an orchestration.</summary>
    private static async Task<string> StoreAsync(TestApp app, TimeSpan dueAgo, TimeSpan? openedAgo = null, DateTimeOffset? now = null)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        var opened = openedAgo ?? TimeSpan.FromMinutes(2) + dueAgo;
        var ticket = Builders.Ticket(NextNumber(), createdAt: at - opened, window: opened - dueAgo);
        (await app.Get<TicketStore>().CreateAsync(ticket)).ShouldBeTrue();
        return ticket.Number;
    }

    private static async Task<Escalation.Core.Organization.OrgDirectory> DirectoryAsync(TestApp app) =>
        (await app.Get<DirectoryStore>().GetCurrentAsync()).Value;
}
