using Escalation.Core.Escalations;
using Escalation.Core.Notifications;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Escalation.Functions.Http;
using Escalation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Tests.Channels;

/// <summary>
/// Values that reach mail headers (subjects, names) are one line: normalised at intake on every channel, and again
/// when a mail is built, so a ticket stored with line breaks still cannot add headers.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class HeaderInjectionTests(CosmosServerFixture cosmos)
{
    [Fact]
    public async Task A_web_ticket_subject_with_line_breaks_is_stored_as_one_line()
    {
        await using var app = await TestApp.StartAsync(cosmos, withDurable: true);
        var request = HttpCall.Request("POST", "/api/tickets",
            """{"subject":"Help\r\nBcc: attacker@example.com\u2028X: y","description":"Black screen."}""", HttpCall.Person("user-ursula"));

        var response = await HttpCall.ExecuteAsync(request,
            await ActivatorUtilities.CreateInstance<WebIntakeFunction>(app.Services).SubmitWebTicket(request, app.Durable!.Client, default));

        response.Status.ShouldBe(201);
        (await app.TicketAsync(response.Json.GetProperty("ticketNumber").GetString()!)).Subject.ShouldBe("Help Bcc: attacker@example.com X: y");
    }

    [Fact]
    public async Task Acknowledgement_and_escalation_subjects_and_names_have_no_line_breaks()
    {
        await using var app = await TestApp.StartAsync(cosmos);
        var stored = Ticket.Open("SD-7001", Channel.Email, "<raw@example.edu>",
            new Requester(null, "Mallory\r\nBcc: victim@example.com", "mallory@example.org"),
            "Help\r\nBcc: attacker@example.com", "body", null, Priority.Normal, new Assignment("service-desk", null), [],
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(2));
        stored.AcknowledgeByEmail = true;
        (await app.Get<TicketStore>().CreateAsync(stored)).ShouldBeTrue();

        await app.Get<AcknowledgementActivity>().SendAsync("SD-7001");
        await app.Get<EscalationActivities>().SendNoticeAsync(
            new EscalationNotice("SD-7001.sla.dir-uss", "SD-7001", "dir-uss", "Dana\nReyes", "dana.reyes@example.edu", ["manager"]));

        var mails = app.SendGrid.Mails;
        mails.Count.ShouldBe(2);
        mails.ShouldAllBe(m => !m.Subject.Contains('\r') && !m.Subject.Contains('\n'));
        mails.ShouldContain(m => m.Subject == "[SD-7001] We received your request: Help Bcc: attacker@example.com");
        mails.ShouldContain(m => m.Subject == "[SD-7001] Escalation: no first response - Help Bcc: attacker@example.com");
        mails.SelectMany(m => m.ToNames).ShouldBe(["Mallory Bcc: victim@example.com", "Dana Reyes"], ignoreOrder: true);
    }
}
