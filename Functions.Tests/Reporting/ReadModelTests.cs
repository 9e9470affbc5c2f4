using System.Text.Json;
using Ardalis.Result;
using Escalation.Core;
using Escalation.Core.Escalations;
using Escalation.Core.Identity;
using Escalation.Core.Reporting;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Tests.Support;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Time.Testing;

namespace Escalation.Tests.Reporting;

/// <summary>The reporting read model on the local Cosmos server: projected from the change feed, replayed, rebuilt.</summary>
[Collection(CosmosCollection.Name)]
public sealed class ReadModelTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = Builders.Monday9am;
    private static readonly Caller Cio = new("cio", "Chief Information Officer", null, new HashSet<string>());
    private readonly FakeTimeProvider _time = new(Start.AddDays(10));
    private TestApp _app = null!;

    private ReportProjection Projection => _app.Get<ReportProjection>();

    private ReportQueries Reports => _app.Get<ReportQueries>();

    public async Task InitializeAsync() =>
        _app = await TestApp.StartAsync(cosmos, new Dictionary<string, string?> { ["Reporting:AtRiskWarnings"] = "true" }, timeProvider: _time);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_sla_report_counts_met_breached_and_running_tickets_per_team_from_the_change_feed()
    {
        await SeedAsync();

        (await Projection.CatchUpAsync(default)).ShouldBe(5);
        var report = (await Reports.SlaAsync(Cio, "2026-03-01", "2026-03-12", "team", default)).Value;

        var desk = report.Rows.Single(r => r.Key == "service-desk");
        desk.Name.ShouldBe("Service Desk");
        desk.Figures.Opened.ShouldBe(2);
        desk.Figures.RespondedInTime.ShouldBe(2);
        desk.Figures.MetRate.ShouldBe(1.0);
        desk.Figures.MedianFirstResponseSeconds.ShouldBe(3600);
        desk.Figures.P90FirstResponseSeconds.ShouldBe(10800);
        desk.Figures.ManagerEscalations.ShouldBe(0);
        var network = report.Rows.Single(r => r.Key == "network-team").Figures;
        (network.Opened, network.Breached, network.AutomaticEscalations, network.MetRate).ShouldBe((1, 1, 1, 0.0));
        var facilities = report.Rows.Single(r => r.Key == "facilities-team").Figures;
        (facilities.Opened, facilities.RespondedInTime, facilities.Breached, facilities.MetRate, facilities.ManagerEscalations)
            .ShouldBe((2, 0, 0, (double?)null, 1));
        report.Total.Opened.ShouldBe(5);
        report.Total.MetRate.ShouldBe(Math.Round(2.0 / 3, 4));
        report.Trend.ShouldContain(p => p.WeekStart == new DateOnly(2026, 3, 2) && p.Key == "network-team" && p.Breached == 1);

        var byArea = (await Reports.SlaAsync(Cio, "2026-03-01", "2026-03-12", "area", default)).Value;
        byArea.Rows.Select(r => (r.Key, r.Figures.Opened)).ShouldBe([("(none)", 2), ("networking", 1), ("uss", 2)]);

        var breached = (await Reports.SlaTicketsAsync(Cio, "2026-03-01", "2026-03-12", "team", "network-team", "breached", default)).Value;
        breached.Select(t => t.Number).ShouldBe(["SD-3003"]);
    }

    [Fact]
    public async Task A_later_change_updates_the_figures_and_replaying_the_whole_feed_counts_every_ticket_once()
    {
        await SeedAsync();
        await Projection.CatchUpAsync(default);
        await UpdateAsync("SD-3004", t => t.Respond("r-3004", "fac-lead", "On it", true, Start.AddDays(3)));
        (await Projection.CatchUpAsync(default)).ShouldBe(1);
        var before = await ReadModelAsync();

        // A crash before the checkpoint moved: the same changes are applied again.
        await ResetCheckpointAsync();
        (await Projection.CatchUpAsync(default)).ShouldBe(5);

        (await ReadModelAsync()).ShouldBe(before);
        var facilities = (await Reports.SlaAsync(Cio, "2026-03-01", "2026-03-12", "team", default)).Value.Rows.Single(r => r.Key == "facilities-team");
        facilities.Figures.RespondedInTime.ShouldBe(1);
    }

    [Fact]
    public async Task A_checkpoint_of_an_older_read_model_version_replays_the_feed_and_writes_the_missing_day_summaries()
    {
        await SeedAsync();
        await Projection.CatchUpAsync(default);
        var current = await ReadModelAsync();
        var store = _app.Get<ReadModelStore>();
        foreach (var summary in await store.SummariesAsync(DateOnly.MinValue, DateOnly.MaxValue, default))
        {
            await _app.Store.Reporting.DeleteItemAsync<object>(summary.Id, new PartitionKey(summary.Id));
        }

        var checkpoint = (await store.CheckpointAsync(default))!;
        checkpoint.Version = 0; // written by the version that kept no summaries
        await _app.Store.Reporting.UpsertItemAsync(checkpoint, new PartitionKey(CheckpointDocument.DocumentId));
        (await Reports.SlaAsync(Cio, "2026-03-01", "2026-03-12", "team", default)).Value.Total.Opened.ShouldBe(0);

        (await Projection.CatchUpAsync(default)).ShouldBe(5, "every ticket is projected again");

        (await ReadModelAsync()).ShouldBe(current);
        (await store.CheckpointAsync(default))!.Version.ShouldBe(CheckpointDocument.CurrentVersion);
        (await Projection.CatchUpAsync(default)).ShouldBe(0);
    }

    [Fact]
    public async Task The_rebuilt_read_model_equals_the_incrementally_maintained_one()
    {
        await SeedAsync();
        await Projection.CatchUpAsync(default);
        await UpdateAsync("SD-3002", t => t.Resolve("res-3002", "agent-ben", "Fixed", Start.AddDays(2)));
        await UpdateAsync("SD-3004", t => t.Respond("r-3004", "fac-lead", "On it", true, Start.AddDays(5)));
        await Projection.CatchUpAsync(default);
        var incremental = await ReadModelAsync();

        await _app.Store.Reporting.UpsertItemAsync(DayDocument.For(new DateOnly(2025, 1, 1)), new PartitionKey("day|2025-01-01"));
        var rebuilt = await Projection.RebuildAsync(default);

        rebuilt.ShouldBe(new RebuildResult(5, 3, 1));
        (await ReadModelAsync()).ShouldBe(incremental, "a stray day document is removed, everything else is identical");
        (await Projection.CatchUpAsync(default)).ShouldBe(0, "the rebuild resumes the change feed at its end");
    }

    [Fact]
    public async Task The_escalation_requester_report_shares_requests_of_the_units_ticket_volume_and_flags_frequent_requesters()
    {
        await SeedAsync();
        foreach (var number in new[] { "SD-3001", "SD-3002", "SD-3003" })
        {
            await EscalateAsync(number, "point-pat", "Urgent again", Start.AddDays(1));
        }

        await EscalateAsync("SD-3003", "prof-paul", "Please help", Start.AddDays(1.5));
        await Projection.CatchUpAsync(default);

        var report = (await Reports.RequestersAsync(Cio, "2026-03-01", "2026-03-12", default)).Value;

        var pat = report.Rows[0];
        (pat.RequesterId, pat.Requested, pat.Merged, pat.InsideSla, pat.UnitId, pat.UnitTickets, pat.Flagged)
            .ShouldBe(("point-pat", 4, 0, 4, "physics", 5, true));
        pat.Share.ShouldBe(0.8);
        var paul = report.Rows.Single(r => r.RequesterId == "prof-paul");
        (paul.Requested, paul.Merged, paul.Flagged).ShouldBe((1, 1, false));
        var justifications = (await Reports.RequestedByAsync(Cio, "point-pat", "2026-03-01", "2026-03-12", default)).Value;
        justifications.Select(j => j.TicketNumber).ShouldBe(["SD-3005", "SD-3001", "SD-3002", "SD-3003"], ignoreOrder: true);
        justifications.ShouldAllBe(j => j.Justification.Length > 0);
    }

    [Fact]
    public async Task Who_sees_what_area_managers_their_area_agents_their_own_figures_users_nothing()
    {
        await SeedAsync();
        await Projection.CatchUpAsync(default);
        var networkManager = new Caller("net-mgr", "Network Manager", null, new HashSet<string> { Roles.Manager });
        var ann = new Caller("agent-ann", "Ann Agent", null, new HashSet<string> { Roles.Agent });
        var user = new Caller("user-ursula", "Ursula User", null, new HashSet<string>());

        (await Reports.SlaAsync(networkManager, null, "2026-03-12", null, default)).Value.Rows.Select(r => r.Key).ShouldBe(["network-team"]);
        var own = (await Reports.SlaAsync(ann, null, "2026-03-12", "agent", default)).Value;
        own.Rows.Select(r => r.Key).ShouldBe(["agent-ann"]);
        own.Total.Opened.ShouldBe(1);
        (await Reports.RequestersAsync(ann, null, null, default)).Status.ShouldBe(ResultStatus.Forbidden);
        (await Reports.SlaAsync(user, null, null, null, default)).Status.ShouldBe(ResultStatus.Forbidden);
    }

    [Fact]
    public async Task Tickets_past_half_and_three_quarters_of_their_window_are_at_risk_and_the_agent_and_lead_are_warned_once()
    {
        var now = _time.GetUtcNow();
        await CreateAsync(Builders.Ticket("SD-3101", createdAt: now - TimeSpan.FromHours(38)));
        await CreateAsync(Builders.Ticket("SD-3102", new Assignment("network-team", "agent-bob"), now - TimeSpan.FromHours(30)));
        await CreateAsync(Builders.Ticket("SD-3103", createdAt: now - TimeSpan.FromHours(10)));

        await Projection.CatchUpAsync(default);
        await Projection.CatchUpAsync(default);

        var atRisk = (await Reports.AtRiskAsync(Cio, default)).Value;
        atRisk.Select(t => (t.Number, t.Elapsed)).ShouldBe([("SD-3101", 0.792), ("SD-3102", 0.625)]);
        var desk = (await Reports.SlaAsync(Cio, null, null, null, default)).Value.Rows.Single(r => r.Key == "service-desk").Figures;
        (desk.AtRisk50, desk.AtRisk75).ShouldBe((1, 1));
        var warnings = _app.SendGrid.Mails.Where(m => m.Subject.Contains("SLA at risk", StringComparison.Ordinal)).ToList();
        warnings.SelectMany(m => m.To).ShouldBe(["ann.agent@example.edu", "lee.park@example.edu"], ignoreOrder: true);
        warnings.ShouldAllBe(m => m.Subject.Contains("SD-3101", StringComparison.Ordinal)
            && m.Text.Contains("http://127.0.0.1:7071/api/console#/ticket/SD-3101", StringComparison.Ordinal)
            && m.Text.Contains("Assigned: Service Desk / Ann Agent", StringComparison.Ordinal));
        (await _app.TicketAsync("SD-3101")).History.Count(h => h.Id.StartsWith(TicketFacts.AtRiskDeliveryPrefix, StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public async Task A_projector_run_that_died_holding_the_lease_holds_the_warnings_back_for_its_lease_only()
    {
        var now = _time.GetUtcNow();
        await CreateAsync(Builders.Ticket("SD-3201", createdAt: now - TimeSpan.FromHours(38)));
        var store = _app.Get<ReadModelStore>();
        // An instance died in the middle of a run: its lease stays on the checkpoint.
        var current = await store.CheckpointAsync(default);
        (await store.TryWriteCheckpointAsync(new CheckpointDocument
        {
            Version = CheckpointDocument.CurrentVersion,
            Continuation = current?.Continuation,
            Owner = "the-dead-instance",
            LeaseUntil = now + ReportProjection.Lease,
        }, current, default)).ShouldNotBeNull();

        (await Projection.CatchUpAsync(default)).ShouldBeNull("the lease is another run's");
        _time.Advance(ReportProjection.Lease);
        await Projection.CatchUpAsync(default);

        ReportProjection.Lease.ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(30));
        _app.SendGrid.Mails.Count(m => m.Subject.Contains("[SD-3201] SLA at risk", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public async Task Bad_report_parameters_are_invalid_with_the_field_named()
    {
        var result = await Reports.SlaAsync(Cio, "2026-13-01", null, "weekday", default);

        result.Status.ShouldBe(ResultStatus.Invalid);
        result.ValidationErrors.Select(e => e.Identifier).ShouldBe(["from", "groupBy"], ignoreOrder: true);
        (await Reports.SlaAsync(Cio, "2026-03-10", "2026-03-01", null, default)).ValidationErrors.Single().Identifier.ShouldBe("from");
        (await Reports.SlaAsync(Cio, "2024-01-01", "2026-03-01", null, default)).ValidationErrors.Single().ErrorMessage.ShouldContain("400 days");
        (await Reports.SlaTicketsAsync(Cio, null, null, null, null, "everything", default)).ValidationErrors.Select(e => e.Identifier)
            .ShouldBe(["key", "figure"]);
    }

    /// <summary>
    /// Five tickets opened on 2, 3 and 4 March: two of the service desk answered in time (one hour, three hours), one of
    /// network operations breached and escalated, two of facilities still waiting, one of them escalated by a manager.
    /// </summary>
    private async Task SeedAsync()
    {
        await CreateAsync(Respond(Builders.Ticket("SD-3001", createdAt: Start), "agent-ann", Start.AddHours(1)));
        await CreateAsync(Respond(Builders.Ticket("SD-3002", new Assignment("service-desk", "agent-ben"), Start.AddDays(1)), "agent-ben",
            Start.AddDays(1).AddHours(3)));
        var breached = Builders.Ticket("SD-3003", new Assignment("network-team", "agent-bob"), Start);
        breached.RecordSlaBreach(Start.AddDays(2));
        await CreateAsync(Respond(breached, "agent-bob", Start.AddDays(2).AddHours(1)));
        await CreateAsync(Builders.Ticket("SD-3004", new Assignment("facilities-team"), Start.AddDays(2)));
        await CreateAsync(Builders.Ticket("SD-3005", new Assignment("facilities-team"), Start.AddDays(2).AddHours(2)));
        await EscalateAsync("SD-3005", "point-pat", "The lab is down", Start.AddDays(2).AddHours(3));
    }

    private static Ticket Respond(Ticket ticket, string agentId, DateTimeOffset at)
    {
        ticket.Respond($"r-{ticket.Number}", agentId, "Looking into it", true, at).IsSuccess.ShouldBeTrue();
        return ticket;
    }

    private async Task CreateAsync(Ticket ticket) => (await _app.Get<TicketStore>().CreateAsync(ticket)).ShouldBeTrue();

    private async Task UpdateAsync<T>(string number, Func<Ticket, Result<T>> change) =>
        (await _app.Get<TicketStore>().UpdateAsync(number, change)).IsSuccess.ShouldBeTrue();

    private async Task UpdateAsync(string number, Func<Ticket, Result> change) =>
        (await _app.Get<TicketStore>().UpdateAsync(number, change)).IsSuccess.ShouldBeTrue();

    private Task EscalateAsync(string number, string requesterId, string justification, DateTimeOffset at) =>
        UpdateAsync(number, t => EscalationChanges.Request(t,
            new EscalationRequest(requesterId, requesterId, justification, EscalationChannel.Web, at), $"req-{requesterId}-{at.Ticks}", "fp"));

    private async Task ResetCheckpointAsync()
    {
        var checkpoint = (await _app.Get<ReadModelStore>().CheckpointAsync(default))!;
        checkpoint.Continuation = null;
        await _app.Store.Reporting.UpsertItemAsync(checkpoint, new PartitionKey(CheckpointDocument.DocumentId));
    }

    /// <summary>Every day document, its summary and the waiting tickets, as canonical JSON.</summary>
    private async Task<string> ReadModelAsync()
    {
        var store = _app.Get<ReadModelStore>();
        var days = (await store.DaysAsync(DateOnly.MinValue, DateOnly.MaxValue, default)).OrderBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => new { d.Id, Tickets = d.Tickets.OrderBy(t => t.Key, StringComparer.Ordinal), Requests = d.Requests.OrderBy(r => r.Key, StringComparer.Ordinal) });
        var summaries = (await store.SummariesAsync(DateOnly.MinValue, DateOnly.MaxValue, default)).OrderBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => new { d.Id, d.Cells, UnitTickets = d.UnitTickets.OrderBy(u => u.Key, StringComparer.Ordinal), d.Requesters });
        var pending = (await store.PendingAsync(default)).Tickets.OrderBy(t => t.Key, StringComparer.Ordinal);
        return JsonSerializer.Serialize(new { days, summaries, pending }, EscalationJson.Options);
    }
}
