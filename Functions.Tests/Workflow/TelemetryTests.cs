using System.Collections.Concurrent;
using Escalation.Core;
using Escalation.Core.Escalations;
using Escalation.Core.Identity;
using Escalation.Core.Intake;
using Escalation.Core.Reporting;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Escalation.Core.Worklist;
using Escalation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Escalation.Tests.Workflow;

/// <summary>
/// What operations see of the app's work (README, Operations): the metrics of intake, queued starts, worklist and
/// reports (the notice metrics: <see cref="CrashRecoveryTests"/>), and logs that say what happened, not what was meant.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class TelemetryTests(CosmosServerFixture cosmos)
{
    [Fact]
    public async Task Intake_queued_starts_worklist_and_reports_are_measured()
    {
        await using var app = await TestApp.StartAsync(cosmos, withDurable: true);
        using var metrics = new MetricCapture();
        var message = new IntakeMessage(Channel.Web, Guid.NewGuid().ToString(), new RequesterClaim("user-ursula", "Ursula User"),
            "Laptop will not boot", "Details of the problem.");

        (await app.Get<IntakePipeline>().SubmitAsync(message, app.Workflow)).IsSuccess.ShouldBeTrue();
        (await app.Get<IntakePipeline>().SubmitAsync(message, app.Workflow)).IsSuccess.ShouldBeTrue();
        (await app.Get<IntakePipeline>().SubmitAsync(message with { Subject = " " }, app.Workflow)).IsSuccess.ShouldBeFalse();
        var ann = HttpCall.Person("agent-ann", Roles.Agent);
        var scope = WorklistScope.For(ann, Builders.Directory()).ShouldNotBeNull();
        (await app.Get<TicketWorklist>().GetAsync(new WorklistRequest(WorklistView.Open, new WorklistFilter(), WorklistSort.Due, null, 50), scope))
            .IsSuccess.ShouldBeTrue();
        (await app.Get<ReportQueries>().SlaAsync(ann, null, null, null, default)).IsSuccess.ShouldBeTrue();

        metrics.Sum(EscalationTelemetry.Intake, "channel=web,outcome=created").ShouldBe(1);
        metrics.Sum(EscalationTelemetry.Intake, "channel=web,outcome=duplicate").ShouldBe(1);
        metrics.Sum(EscalationTelemetry.Intake, "channel=web,outcome=invalid").ShouldBe(1);
        metrics.Values(EscalationTelemetry.StartsQueued).ShouldContain(1, "intake queued the new ticket's start");
        metrics.Values(EscalationTelemetry.WorklistDuration).Count.ShouldBe(1);
        metrics.Values(EscalationTelemetry.ReportDuration).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_notice_activity_run_again_says_the_notice_went_out_before_instead_of_that_it_was_e_mailed()
    {
        var logs = new LogCapture();
        await using var app = await TestApp.StartAsync(cosmos, configureServices: services => services.AddLogging(l => l.AddProvider(logs)));
        var ticket = Builders.Ticket("SD-9301", createdAt: DateTimeOffset.UtcNow - TimeSpan.FromMinutes(3), window: TimeSpan.FromMinutes(2));
        (await app.Get<TicketStore>().CreateAsync(ticket)).ShouldBeTrue();
        var activities = app.Get<EscalationActivities>();
        var notice = (await activities.RecordSlaBreachAsync(ticket.Number)).Notices.First(n => n.RecipientEmail is not null);

        await activities.SendNoticeAsync(notice);
        await activities.SendNoticeAsync(notice);

        app.SendGrid.Mails.Count.ShouldBe(1);
        logs.EventIds.Where(id => id is 1005 or 1020).ShouldBe([1005, 1020], "e-mailed once, then: went out before");
    }

    /// <summary>The event ids the app logged, in order.</summary>
    private sealed class LogCapture : ILoggerProvider
    {
        private readonly ConcurrentQueue<int> _eventIds = new();

        public IReadOnlyList<int> EventIds => [.. _eventIds];

        public ILogger CreateLogger(string categoryName) => new Logger(_eventIds);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<int> eventIds) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                eventIds.Enqueue(eventId.Id);
        }
    }
}
