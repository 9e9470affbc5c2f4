using Escalation.Core.Intake;
using Escalation.Core.Tickets;
using Escalation.Functions.Http;
using Escalation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Tests.Escalations;

/// <summary>Manager escalation requests e-mailed to the coordinators' address, through the Inbound Parse webhook.</summary>
[Collection(CosmosCollection.Name)]
public sealed class EmailEscalationTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private const string Secret = "inbound-secret";
    private const string Coordinators = "escalations@example.edu";
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(cosmos, new Dictionary<string, string?>
    {
        ["Intake:EmailWebhookSecret"] = Secret,
        ["Escalations:CoordinatorsAddress"] = Coordinators,
        ["Escalations:AcknowledgementWindow"] = "01:00:00",
    }, withDurable: true);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_users_manager_escalates_a_ticket_by_e_mail()
    {
        var number = await TicketOfUrsulaAsync();

        var response = await PostAsync(FromPaul($"Please escalate [{number}]", "Ursula cannot teach without her laptop.\nSLA reviewed: yes\n"));

        response.Status.ShouldBe(200);
        response.Json.GetProperty("disposition").GetString().ShouldBe("escalated");
        var ticket = await _app.WaitForTicketAsync(number, t => t.Escalations.Count == 1);
        var request = ticket.Escalations.Single().Requests.Single();
        request.RequesterId.ShouldBe("prof-paul");
        request.Channel.ShouldBe(EscalationChannel.Email);
        request.Justification.ShouldBe("Ursula cannot teach without her laptop.");
        _app.SendGrid.Mails.ShouldNotContain(m => m.To.Contains("paul.chen@example.edu"), "an accepted request gets no refusal");
    }

    [Theory]
    [InlineData("Please escalate", "It is urgent.\nSLA reviewed: yes", "submit a ticket first")]
    [InlineData("Please escalate [SD-99999]", "It is urgent.\nSLA reviewed: yes", "submit a ticket first")]
    [InlineData("Please escalate [TICKET]", "It is urgent, I did not look at the SLA.", "SLA reviewed: yes")]
    public async Task A_refused_request_is_answered_by_e_mail_once_and_escalates_nothing(string subject, string text, string answer)
    {
        var number = await TicketOfUrsulaAsync();
        var mail = FromPaul(subject.Replace("TICKET", number, StringComparison.Ordinal), text);

        var first = await PostAsync(mail);
        var again = await PostAsync(mail); // SendGrid's retry of the same message

        first.Status.ShouldBe(200);
        again.Status.ShouldBe(200);
        first.Json.GetProperty("disposition").GetString().ShouldBe("ignored");
        var replies = _app.SendGrid.Mails.Where(m => m.To.Contains("paul.chen@example.edu")).ToList();
        replies.Count.ShouldBe(1);
        replies[0].Text.ShouldContain(answer, Case.Insensitive);
        (await _app.TicketAsync(number)).Escalations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Someone_outside_the_users_management_is_told_the_rule()
    {
        var number = await TicketOfUrsulaAsync();

        await PostAsync(InboundParse.Fixture("new-request")
            .With("from", "Bob Network <bob.network@example.edu>").With("to", Coordinators)
            .With("subject", $"Escalate [{number}]").With("text", "Because.\nSLA reviewed: yes")
            .Header("Message-ID", "<bob-1@mail.example.edu>"));

        _app.SendGrid.Mails.Single(m => m.To.Contains("bob.network@example.edu")).Text.ShouldContain("manager chain");
        (await _app.TicketAsync(number)).Escalations.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_unauthenticated_request_is_ignored_without_a_reply()
    {
        var number = await TicketOfUrsulaAsync();

        var response = await PostAsync(FromPaul($"Escalate [{number}]", "Urgent.\nSLA reviewed: yes")
            .With("SPF", "fail").With("dkim", "{@example.edu : fail}"));

        response.Json.GetProperty("disposition").GetString().ShouldBe("ignored");
        _app.SendGrid.Mails.ShouldNotContain(m => m.To.Contains("paul.chen@example.edu"));
        (await _app.TicketAsync(number)).Escalations.ShouldBeEmpty();
    }

    private static InboundParse FromPaul(string subject, string text) =>
        InboundParse.Fixture("new-request")
            .With("from", "Prof. Paul Chen <paul.chen@example.edu>").With("to", Coordinators)
            .With("envelope", """{"to":["escalations@example.edu"],"from":"paul.chen@example.edu"}""")
            .With("subject", subject).With("text", text)
            .Header("Message-ID", $"<paul-{Guid.NewGuid():N}@mail.example.edu>");

    private async Task<string> TicketOfUrsulaAsync()
    {
        var message = new IntakeMessage(Channel.Web, Guid.NewGuid().ToString(), new RequesterClaim("user-ursula", "Ursula User"),
            "Laptop will not boot", "Black screen.");
        return (await _app.Get<IntakePipeline>().SubmitAsync(message, _app.Workflow)).Value.TicketNumber;
    }

    private async Task<HttpOutcome> PostAsync(InboundParse mail)
    {
        var body = mail.Build();
        var request = HttpCall.Request("POST", "/api/intake/email", string.Empty, contentType: InboundParse.ContentType);
        request.Body = new MemoryStream(body);
        request.ContentLength = body.Length;
        request.QueryString = new Microsoft.AspNetCore.Http.QueryString("?key=" + Secret);
        var function = ActivatorUtilities.CreateInstance<EmailIntakeFunction>(_app.Services);
        return await HttpCall.ExecuteAsync(request, await function.ReceiveEmail(request, _app.Durable!.Client, default));
    }
}
