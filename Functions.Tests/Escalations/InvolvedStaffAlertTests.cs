using Escalation.Core.Escalations;
using Escalation.Core.Identity;
using Escalation.Core.Tickets;
using Escalation.Tests.Support;

namespace Escalation.Tests.Escalations;

/// <summary>
/// "When a ticket of someone's staff is escalated, their lead and their area/division manager get one e-mail naming the
/// ticket, the staff member and the reason": for manager escalations, on the real store and Durable engine.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class InvolvedStaffAlertTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private const string StaffSubject = "manager escalation of your staff's ticket";
    private TestApp _app = null!;
    private EscalationHarness _escalations = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(cosmos, new Dictionary<string, string?>
        {
            ["Sla:DefaultWindow"] = "1.00:00:00",
            ["Escalations:AcknowledgementWindow"] = "01:00:00",
        }, withDurable: true);
        _escalations = new EscalationHarness(_app);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_lead_and_the_area_manager_of_the_agent_get_one_mail_each_naming_ticket_staff_and_reason_despite_a_retry_and_a_merge()
    {
        var number = await _escalations.SubmitAsync("Thesis files unreachable");
        (await _app.Get<TicketActions>().ReassignAsync(
            new ReassignCommand(number, HttpCall.Person("lead-desk", Roles.Agent), "service-desk", "agent-ann", new ActionKey("to-ann")), _app.Workflow))
            .IsSuccess.ShouldBeTrue();
        // The lead's mail fails once after the manager's went out: the activity is retried and must not send the manager's again.
        _app.SendGrid.FailNextTo("lee.park@example.edu");

        (await _escalations.RequestAsync(number)).Status.ShouldBe(202);
        (await _escalations.RequestAsync(number, HttpCall.Person("point-pat"),
            """{"justification":"The Dean asks for this too.","slaReviewed":true}""")).Status.ShouldBe(200, "merged into E1");
        await _escalations.WaitForOutboxAsync(number, e => e.CoordinatorId is not null);
        // The same request again (a client retry without a key) is merged as a duplicate and owes nothing new.
        (await _escalations.RequestAsync(number)).Status.ShouldBeOneOf(200, 202);
        await _escalations.WaitForOutboxAsync(number);

        var alerts = _app.SendGrid.Mails.Where(m => m.Subject.Contains(StaffSubject, StringComparison.Ordinal)).ToList();
        alerts.SelectMany(m => m.To).ShouldBe(["dana.reyes@example.edu", "lee.park@example.edu"], ignoreOrder: true);
        alerts.ShouldAllBe(m => m.To.Count == 1 && m.Cc.Count == 0);
        foreach (var alert in alerts)
        {
            alert.Subject.ShouldContain(number);
            alert.Subject.ShouldContain("Thesis files unreachable");
            alert.Text.ShouldContain("Staff:  Ann Agent (Service Desk)");
            alert.Text.ShouldContain("Reason: Prof. Paul Chen asks: Grant deadline tomorrow; the user cannot work.");
        }

        alerts.Single(m => m.To[0] == "dana.reyes@example.edu").Text.ShouldContain("ITS manager of User Support Services");
        alerts.Single(m => m.To[0] == "lee.park@example.edu").Text.ShouldContain("lead of Ann Agent");
        (await _app.TicketAsync(number)).History.Count(h => h.Type == HistoryEntryType.NoticeSent && h.Summary.StartsWith("Manager escalation notice", StringComparison.Ordinal))
            .ShouldBe(2);
    }
    [Fact]
    public async Task An_SLA_breach_alert_names_the_agent_by_name_and_the_reason()
    {
        await using var app = await TestApp.StartAsync(cosmos, new Dictionary<string, string?> { ["Sla:DefaultWindow"] = "00:00:03" }, withDurable: true);
        var number = await new EscalationHarness(app).SubmitAsync("Printer jammed");
        (await app.Get<TicketActions>().ReassignAsync(
            new ReassignCommand(number, HttpCall.Person("lead-desk", Roles.Agent), "service-desk", "agent-ann", new ActionKey("to-ann")), app.Workflow))
            .IsSuccess.ShouldBeTrue();

        await app.WaitForTicketAsync(number, t => t.History.Count(h => h.Type == HistoryEntryType.NoticeSent) == 2);

        var alerts = app.SendGrid.Mails.Where(m => m.Subject.Contains("Escalation: no first response", StringComparison.Ordinal)).ToList();
        alerts.SelectMany(m => m.To).ShouldBe(["dana.reyes@example.edu", "lee.park@example.edu"], ignoreOrder: true);
        alerts.ShouldAllBe(m => m.Subject.Contains(number, StringComparison.Ordinal)
            && m.Text.Contains("Assigned to: Ann Agent (Service Desk)", StringComparison.Ordinal)
            && m.Text.Contains("Reason: no first response by", StringComparison.Ordinal));
    }
}
