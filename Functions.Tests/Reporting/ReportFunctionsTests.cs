using Escalation.Core.Identity;
using Escalation.Core.Storage;
using Escalation.Core.Reporting;
using Escalation.Functions.Http;
using Escalation.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Escalation.Tests.Reporting;

/// <summary>The report endpoints over HTTP: JSON and CSV, problem details for bad input, who may call them.</summary>
[Collection(CosmosCollection.Name)]
public sealed class ReportFunctionsTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private static readonly Caller Cio = HttpCall.Person("cio");
    private const string InternalNote = "INTERNAL-NOTE: she is on leave next week";
    private readonly FakeTimeProvider _time = new(Builders.Monday9am.AddDays(3));
    private TestApp _app = null!;

    private ReportFunctions Functions => ActivatorUtilities.CreateInstance<ReportFunctions>(_app.Services);

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(cosmos, timeProvider: _time);
        var tickets = _app.Get<TicketStore>();
        var unanswered = Builders.Ticket("SD-4001");
        unanswered.AddNote("n", "lead-desk", InternalNote, Builders.Monday9am.AddMinutes(5));
        await tickets.CreateAsync(unanswered);
        var answered = Builders.Ticket("SD-4002", createdAt: Builders.Monday9am.AddHours(1));
        answered.Respond("r", "agent-ann", "Hello", true, Builders.Monday9am.AddHours(2));
        await tickets.CreateAsync(answered);
        await _app.Get<ReportProjection>().CatchUpAsync(default);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_sla_report_comes_as_json_and_as_csv_for_a_spreadsheet()
    {
        var json = await GetAsync("/api/reports/sla", "?from=2026-03-01&to=2026-03-05", Cio, r => Functions.GetSlaReport(r, default));
        json.Status.ShouldBe(200);
        json.Json.GetProperty("rows")[0].GetProperty("key").GetString().ShouldBe("service-desk");
        json.Json.GetProperty("total").GetProperty("opened").GetInt32().ShouldBe(2);

        var csv = await GetAsync("/api/reports/sla", "?from=2026-03-01&to=2026-03-05&format=csv", Cio, r => Functions.GetSlaReport(r, default));
        csv.Status.ShouldBe(200);
        csv.ContentType.ShouldBe("text/csv; charset=utf-8");
        csv.Headers.ContentDisposition.ToString().ShouldContain("sla-compliance.csv");
        var lines = csv.Body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("team,name,opened,respondedInTime,breached,metRate,");
        lines[1].ShouldStartWith("service-desk,Service Desk,2,1,0,1,3600,3600,");
        lines[^1].ShouldStartWith("total,All,2,1,0,1,");
    }

    [Fact]
    public async Task Drill_downs_name_tickets_but_never_carry_their_internal_notes()
    {
        var drill = await GetAsync("/api/reports/sla/tickets", "?from=2026-03-01&to=2026-03-05&groupBy=team&key=service-desk&figure=opened", Cio,
            r => Functions.GetSlaReportTickets(r, default));

        drill.Status.ShouldBe(200, drill.Body);
        drill.Body.ShouldContain("SD-4001");
        drill.Body.ShouldNotContain("INTERNAL-NOTE");
    }

    [Fact]
    public async Task Bad_parameters_and_formats_are_problem_details_naming_the_field()
    {
        var badDate = await GetAsync("/api/reports/sla", "?from=03/01/2026", Cio, r => Functions.GetSlaReport(r, default));
        badDate.Status.ShouldBe(400);
        badDate.ContentType.ShouldBe("application/problem+json");
        badDate.Json.GetProperty("errors").GetProperty("from")[0].GetString().ShouldBe("from is a date as yyyy-MM-dd.");

        var xml = await GetAsync("/api/reports/escalation-requesters", "?format=xml", Cio, r => Functions.GetEscalationRequesterReport(r, default));
        xml.Status.ShouldBe(400);
        xml.Json.GetProperty("errors").GetProperty("format")[0].GetString().ShouldBe("format is json or csv.");

        var noCsv = await GetAsync("/api/reports/at-risk", "?format=csv", Cio, r => Functions.GetAtRiskTickets(r, default));
        noCsv.Status.ShouldBe(400);
    }

    [Fact]
    public async Task Only_people_with_a_report_scope_see_reports_and_only_admins_rebuild()
    {
        (await GetAsync("/api/reports/sla", "", null, r => Functions.GetSlaReport(r, default))).Status.ShouldBe(401);
        var user = await GetAsync("/api/reports/sla", "", HttpCall.Person("user-ursula"), r => Functions.GetSlaReport(r, default));
        user.Status.ShouldBe(403);
        user.Json.GetProperty("type").GetString().ShouldBe("urn:escalation:problem:forbidden");
        (await GetAsync("/api/reports/escalation-requesters/point-pat", "", HttpCall.Person("agent-ann", Roles.Agent),
            r => Functions.GetRequestedEscalations(r, "point-pat", default))).Status.ShouldBe(403);

        (await PostRebuildAsync(HttpCall.Person("dir-uss", Roles.Manager))).Status.ShouldBe(403);
        var rebuilt = await PostRebuildAsync(HttpCall.Person("ops", Roles.Admin));
        rebuilt.Status.ShouldBe(200);
        rebuilt.Json.GetProperty("tickets").GetInt32().ShouldBe(2);
    }

    private async Task<HttpOutcome> PostRebuildAsync(Caller caller)
    {
        var request = HttpCall.Request("POST", "/api/reports/rebuild", caller: caller);
        return await HttpCall.ExecuteAsync(request, await Functions.RebuildReports(request, default));
    }

    private static async Task<HttpOutcome> GetAsync(string path, string query, Caller? caller,
        Func<HttpRequest, Task<Microsoft.AspNetCore.Mvc.IActionResult>> function)
    {
        var request = HttpCall.Request("GET", path, caller: caller);
        request.QueryString = new QueryString(query);
        return await HttpCall.ExecuteAsync(request, await function(request));
    }
}
