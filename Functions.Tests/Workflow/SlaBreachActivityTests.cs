using Escalation.Core.Escalations;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Tests.Workflow;

/// <summary>The breach activity against the local Cosmos server, on a fake clock.</summary>
[Collection(CosmosCollection.Name)]
public sealed class SlaBreachActivityTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(cosmos);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_timer_that_fired_early_has_the_breach_recorded_at_the_deadline_and_not_before()
    {
        var ticket = await StoreTicketAsync("SD-7101", createdAt: DateTimeOffset.UtcNow);
        var time = new CountingTimeProvider(ticket.SlaDueAt - TimeSpan.FromMilliseconds(700));
        var activities = ActivatorUtilities.CreateInstance<EscalationActivities>(_app.Services, time);

        var breach = activities.RecordSlaBreachAsync(ticket.Number);
        using (var waiting = new CancellationTokenSource(Patience))
        {
            while (time.TimersCreated == 0)
            {
                await Task.Delay(10, waiting.Token);
            }
        }

        breach.IsCompleted.ShouldBeFalse();
        (await _app.TicketAsync(ticket.Number)).EscalatedAt.ShouldBeNull("not before the deadline");
        time.Advance(TimeSpan.FromMilliseconds(700));

        var outcome = await breach.WaitAsync(Patience);
        outcome.Notices.ShouldNotBeEmpty();
        (await _app.TicketAsync(ticket.Number)).EscalatedAt.ShouldBe(ticket.SlaDueAt);
    }

    [Fact]
    public async Task The_breach_activity_sends_every_notice_once_even_when_it_runs_again()
    {
        var ticket = await StoreTicketAsync("SD-7103", createdAt: DateTimeOffset.UtcNow - TimeSpan.FromHours(2));
        var activities = _app.Get<EscalationActivities>();

        var first = await activities.EscalateSlaBreachAsync(ticket.Number);
        var retried = await activities.EscalateSlaBreachAsync(ticket.Number);

        first.Notices.ShouldBeEmpty("every notice went out");
        retried.Notices.ShouldBeEmpty();
        _app.SendGrid.Mails.Select(m => m.To.Single()).ShouldBe(["dana.reyes@example.edu", "lee.park@example.edu"], ignoreOrder: true);
        var stored = await _app.TicketAsync(ticket.Number);
        stored.History.Count(h => h.Type == HistoryEntryType.SlaBreached).ShouldBe(1);
        stored.History.Count(h => h.Type == HistoryEntryType.NoticeSent).ShouldBe(2);
    }

    [Fact]
    public async Task A_notice_the_breach_activity_could_not_send_is_returned_for_the_orchestration_and_the_others_go_out()
    {
        var ticket = await StoreTicketAsync("SD-7104", createdAt: DateTimeOffset.UtcNow - TimeSpan.FromHours(2));
        _app.SendGrid.FailNextTo("lee.park@example.edu");

        var outcome = await _app.Get<EscalationActivities>().EscalateSlaBreachAsync(ticket.Number);

        var left = outcome.Notices.ShouldHaveSingleItem();
        left.RecipientEmail.ShouldBe("lee.park@example.edu");
        _app.SendGrid.Mails.ShouldHaveSingleItem().To.Single().ShouldBe("dana.reyes@example.edu");
        await _app.Get<EscalationActivities>().SendNoticeAsync(left);
        _app.SendGrid.Mails.Select(m => m.To.Single()).ShouldBe(["dana.reyes@example.edu", "lee.park@example.edu"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_breach_well_before_the_deadline_is_not_a_timer_rounding_and_is_recorded_without_waiting()
    {
        var ticket = await StoreTicketAsync("SD-7102", createdAt: DateTimeOffset.UtcNow);
        var time = new CountingTimeProvider(ticket.SlaDueAt - EscalationActivities.MaxEarlyTimer - TimeSpan.FromSeconds(1));
        var activities = ActivatorUtilities.CreateInstance<EscalationActivities>(_app.Services, time);

        await activities.RecordSlaBreachAsync(ticket.Number).WaitAsync(Patience);

        time.TimersCreated.ShouldBe(0);
        (await _app.TicketAsync(ticket.Number)).EscalatedAt.ShouldBe(time.GetUtcNow());
    }

    /// <summary>A ticket with a one-hour first-response window, stored without an orchestration.</summary>
    private async Task<Ticket> StoreTicketAsync(string number, DateTimeOffset createdAt)
    {
        var ticket = Builders.Ticket(number: number, createdAt: createdAt, window: TimeSpan.FromHours(1));
        (await _app.Get<TicketStore>().CreateAsync(ticket)).ShouldBeTrue();
        return ticket;
    }
}
