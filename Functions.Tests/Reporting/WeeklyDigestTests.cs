using Ardalis.Result;
using Escalation.Core.Escalations;
using Escalation.Core.Reporting;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Functions.Workflow;
using Escalation.Tests.Support;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Escalation.Tests.Reporting;

/// <summary>
/// The weekly digest on the local Cosmos server, the real read model and the SendGrid capture: one per ITS manager and
/// area lead per week however often the timer fires, with their own figures, and delivered after a SendGrid outage.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class WeeklyDigestTests(CosmosServerFixture cosmos, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 9, 0, 0, 0, TimeSpan.Zero);
    private const string InternalNote = "INTERNAL-NOTE-4005";
    private static readonly string[] Recipients = ["dana.reyes@example.edu", "lee.park@example.edu", "nikhil.rao@example.edu", "nora.ali@example.edu"];
    private readonly FakeTimeProvider _time = new(Monday.AddHours(7.5));
    private readonly FakeEscalationQueue _queue = new();
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(cosmos, new Dictionary<string, string?>
    {
        ["Reporting:DigestDay"] = "Monday",
        ["Reporting:DigestHour"] = "8",
    }, timeProvider: _time, configureServices: services => services.AddSingleton<IEscalationQueue>(_queue));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private List<CapturedMail> Digests => [.. _app.SendGrid.Mails.Where(m => m.Subject.StartsWith("Weekly service desk digest", StringComparison.Ordinal))];

    private Task TimerAsync() => ActivatorUtilities.CreateInstance<WeeklyDigestFunction>(_app.Services).SendWeeklyDigests(new TimerInfo(), default);

    [Fact]
    public async Task Each_manager_and_lead_gets_exactly_one_digest_with_their_figures_when_the_timer_fires_twice()
    {
        await SeedAsync();

        await TimerAsync();
        Digests.ShouldBeEmpty("07:30: the digest hour has not come");

        _time.SetUtcNow(Monday.AddHours(8));
        await Task.WhenAll(TimerAsync(), TimerAsync()); // two instances at once
        await TimerAsync();
        _time.Advance(TimeSpan.FromHours(1));
        await TimerAsync();

        Digests.SelectMany(m => m.To).ShouldBe(Recipients, ignoreOrder: true, "one each, and nobody else (no coordinator, agent, CIO or division manager)");
        Digests.ShouldAllBe(m => m.To.Count == 1 && m.Subject.Contains("2026-W11", StringComparison.Ordinal) && m.Html != null);
        Digests.ShouldAllBe(m => !m.Text.Contains(InternalNote, StringComparison.Ordinal) && !m.Html!.Contains(InternalNote, StringComparison.Ordinal),
            "an internal note is never in a digest");
        var dana = Digests.Single(m => m.To[0] == "dana.reyes@example.edu");
        output.WriteLine(dana.Subject);
        output.WriteLine(dana.Text); // for a reviewer: what a manager reads
        var desk = Line(dana, "  Service Desk");
        desk.ShouldStartWith("  Service Desk");
        Cells(desk).Take(4).ShouldBe(["Service Desk", "3", "2", "0"], "opened, in time, breached: SD-4001, SD-4002 met, SD-4005 waiting");
        Line(dana, "  SD-4005").ShouldContain("75 %");
        Line(dana, "  SD-4005 E1").ShouldContain("1 of 7 steps");
        Line(dana, "  Pat Point").ShouldContain("Department of Physics");
        dana.Text.ShouldNotContain("Network Operations");
        var nikhil = Digests.Single(m => m.To[0] == "nikhil.rao@example.edu");
        Cells(Line(nikhil, "  Network Operations")).Take(4).ShouldBe(["Network Operations", "1", "0", "1"]);
        nikhil.Text.ShouldNotContain("Service Desk");
        nikhil.Text.ShouldContain("No manager escalation is open.");
        nikhil.Text.ShouldContain("Nobody requested an escalation");
        Digests.Select(m => m.MessageId).Distinct().Count().ShouldBe(4);
    }

    [Fact]
    public async Task A_SendGrid_outage_leaves_the_digests_pending_and_a_later_run_delivers_each_once()
    {
        await SeedAsync();
        _time.SetUtcNow(Monday.AddHours(8));
        _app.SendGrid.FailNext(100, 503);

        await TimerAsync();

        Digests.ShouldBeEmpty();
        _app.SendGrid.Attempts.ShouldBe(4);
        var pending = await _app.Get<DigestStore>().SinceAsync(new DateOnly(2026, 3, 9), default);
        pending.Count.ShouldBe(4, "claimed once each");
        pending.ShouldAllBe(d => d.State == DigestState.Pending && d.ClaimedAt == null, "SendGrid surely did not take them: released");
        pending.Select(d => d.Id).ShouldContain("digest|2026-W11|dir-uss");

        _app.SendGrid.FailNext(0);
        _time.Advance(TimeSpan.FromHours(1));
        await TimerAsync();
        _time.Advance(TimeSpan.FromHours(1));
        await TimerAsync();

        Digests.SelectMany(m => m.To).ShouldBe(Recipients, ignoreOrder: true);
        (await _app.Get<DigestStore>().SinceAsync(new DateOnly(2026, 3, 9), default)).ShouldAllBe(d => d.State == DigestState.Sent && d.Attempts == 2);
    }

    [Fact]
    public async Task A_digest_still_pending_when_the_next_week_begins_is_sent_with_its_own_week()
    {
        await SeedAsync();
        _time.SetUtcNow(Monday.AddHours(8));
        _app.SendGrid.FailNext(100, 503);
        await TimerAsync();
        _app.SendGrid.FailNext(0);

        _time.SetUtcNow(Monday.AddDays(7).AddHours(1)); // next Monday 01:00, before that week's digest hour
        await TimerAsync();

        Digests.SelectMany(m => m.To).ShouldBe(Recipients, ignoreOrder: true);
        Digests.ShouldAllBe(m => m.Subject.Contains("2026-W11", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_that_crashed_after_SendGrid_took_the_digest_is_not_sent_again()
    {
        await SeedAsync();
        _time.SetUtcNow(Monday.AddHours(8));
        await TimerAsync();
        // As the store looks when the process died between SendGrid accepting the mail and recording it as sent.
        var store = _app.Get<DigestStore>();
        var dana = (await store.SinceAsync(new DateOnly(2026, 3, 9), default)).Single(d => d.RecipientId == "dir-uss");
        dana.State = DigestState.Pending;
        dana.SentAt = null;
        dana.ClaimedAt = _time.GetUtcNow();
        (await store.TryReplaceAsync(dana, default)).ShouldNotBeNull();

        _time.Advance(TimeSpan.FromMinutes(1));
        await TimerAsync();
        _time.Advance(TimeSpan.FromHours(1));
        await TimerAsync();

        Digests.Count(m => m.To[0] == "dana.reyes@example.edu").ShouldBe(1, "the lease held, then SendGrid said it has this Message-ID");
        (await store.SinceAsync(new DateOnly(2026, 3, 9), default)).Single(d => d.RecipientId == "dir-uss").State.ShouldBe(DigestState.Sent);
    }

    [Fact]
    public async Task Until_the_digest_is_due_nothing_is_claimed_or_sent()
    {
        await SeedAsync();
        _time.SetUtcNow(Monday.AddHours(7).AddMinutes(59));

        (await _app.Get<WeeklyDigest>().RunAsync()).ShouldBe(new DigestRun(null, 0, 0, 0));

        (await _app.Get<DigestStore>().SinceAsync(DateOnly.MinValue, default)).ShouldBeEmpty();
        _app.SendGrid.Attempts.ShouldBe(0);
    }

    private static string Line(CapturedMail mail, string start) =>
        mail.Text.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(start, StringComparison.Ordinal))
        ?? throw new ShouldAssertException($"no line starting with '{start}' in:\n{mail.Text}");

    private static string[] Cells(string line) =>
        line.Trim().Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// The week of 2 to 8 March: two service desk tickets answered in time, a network ticket that breached, a facilities
    /// ticket, and a service desk ticket opened on Saturday evening, still waiting, escalated by Pat Point.
    /// </summary>
    private async Task SeedAsync()
    {
        var week = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        await CreateAsync(Respond(Builders.Ticket("SD-4001", createdAt: week.AddDays(1)), "agent-ann", week.AddDays(1).AddHours(1)));
        await CreateAsync(Respond(Builders.Ticket("SD-4002", new Assignment("service-desk", "agent-ben"), week.AddDays(2)), "agent-ben",
            week.AddDays(2).AddHours(3)));
        var breached = Builders.Ticket("SD-4003", new Assignment("network-team", "agent-bob"), week.AddDays(1));
        breached.RecordSlaBreach(week.AddDays(3));
        await CreateAsync(Respond(breached, "agent-bob", week.AddDays(3).AddHours(1)));
        await CreateAsync(Builders.Ticket("SD-4004", new Assignment("facilities-team"), week.AddDays(3)));
        var waiting = Builders.Ticket("SD-4005", new Assignment("service-desk"), new DateTimeOffset(2026, 3, 7, 20, 0, 0, TimeSpan.Zero));
        waiting.AddNote("n-4005", "lead-desk", $"{InternalNote}: the requester's laptop was stolen", new DateTimeOffset(2026, 3, 7, 21, 0, 0, TimeSpan.Zero));
        var escalation = EscalationChanges.Request(waiting, new EscalationRequest("point-pat", "Pat Point", "The lab is down",
            EscalationChannel.Web, new DateTimeOffset(2026, 3, 8, 9, 0, 0, TimeSpan.Zero)), "req-pat", "fp").Value.Escalation;
        escalation.Set(new ChecklistItem(ChecklistStep.ReviewedTicket, new DateTimeOffset(2026, 3, 8, 10, 0, 0, TimeSpan.Zero), "coord-carl"));
        await CreateAsync(waiting);
        _queue.Open.Add(new QueuedEscalation("SD-4005", waiting.Subject, "service-desk", null, EscalationView.Of(escalation, TicketVisibility.Everything)));

        (await _app.Get<ReportProjection>().CatchUpAsync(default)).ShouldBe(5);
    }

    private static Ticket Respond(Ticket ticket, string agentId, DateTimeOffset at)
    {
        ticket.Respond($"r-{ticket.Number}", agentId, "Looking into it", true, at).IsSuccess.ShouldBeTrue();
        return ticket;
    }

    private async Task CreateAsync(Ticket ticket) => (await _app.Get<TicketStore>().CreateAsync(ticket)).ShouldBeTrue();

    /// <summary>The open escalations as the coordinator queue would list them, limited to the scope like the real one.</summary>
    private sealed class FakeEscalationQueue : IEscalationQueue
    {
        public List<QueuedEscalation> Open { get; } = [];

        public Task<IReadOnlyList<QueuedEscalation>> OpenAsync(ReportScope scope, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<QueuedEscalation>>([.. Open.Where(e => scope.Includes(e.TeamId ?? string.Empty, e.AgentId))]);
    }
}
