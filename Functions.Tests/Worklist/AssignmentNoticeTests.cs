using Escalation.Core.Conversation;
using Escalation.Core.Identity;
using Escalation.Core.Intake;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Tests.Support;

namespace Escalation.Tests.Worklist;

/// <summary>New work is e-mailed once per assignment: to the agent, else the team's address, else its members; never to a team that opted out.</summary>
[Collection(CosmosCollection.Name)]
public sealed class AssignmentNoticeTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private static readonly Caller Lee = new("lead-desk", "Lee Park", "lee.park@example.edu", new HashSet<string> { Roles.Agent, Roles.Manager });
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(cosmos, new Dictionary<string, string?> { ["Console:PublicBaseUrl"] = "https://desk.example.edu" },
            withDurable: true, loadDirectory: false);
        var document = Builders.DirectoryDocument(assignmentMail: true);
        document = document with
        {
            Teams = [.. document.Teams.Select(t => t.Id switch
            {
                "facilities-team" => t with { Email = "facilities-help@example.edu" },
                "network-team" => t with { NotifyOnAssignment = false },
                _ => t,
            })],
        };
        (await _app.Get<DirectoryStore>().LoadAsync(document)).IsSuccess.ShouldBeTrue();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_new_ticket_is_mailed_once_to_its_teams_members_with_the_requester_the_due_time_and_a_link()
    {
        var number = await SubmitAsync("Laptop will not boot");

        var mail = (await MailsAsync(1)).Single();
        mail.To.ShouldBe(["lee.park@example.edu", "ann.agent@example.edu", "ben.becker@example.edu"], ignoreOrder: true);
        mail.Subject.ShouldBe($"[{number}] New ticket for Service Desk: Laptop will not boot");
        mail.Text.ShouldContain("Requester: Ursula User");
        mail.Text.ShouldContain("First response due by");
        mail.Text.ShouldContain($"https://desk.example.edu/api/console#/ticket/{number}");

        // A retried delivery (the activity run again) sends nothing more.
        var owed = (await _app.TicketAsync(number)).Outgoing.Single(o => o.Kind == OutgoingKind.Assigned);
        await _app.Get<ConversationDelivery>().DeliverAsync(new OutgoingRef(number, owed.Id));
        _app.SendGrid.Mails.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_reassignment_tells_the_agent_once_the_team_address_when_set_and_nobody_in_a_team_that_opted_out()
    {
        var number = await SubmitAsync("Printer jam");
        await MailsAsync(1);
        var actions = _app.Get<TicketActions>();

        (await actions.ReassignAsync(new ReassignCommand(number, Lee, "service-desk", "agent-ann", new ActionKey("to-ann")), _app.Workflow)).IsSuccess.ShouldBeTrue();
        (await actions.ReassignAsync(new ReassignCommand(number, Lee, "service-desk", "agent-ann", new ActionKey("to-ann")), _app.Workflow)).IsSuccess.ShouldBeTrue();
        var toAnn = (await MailsAsync(2))[1];
        toAnn.To.ShouldBe(["ann.agent@example.edu"]);
        toAnn.Subject.ShouldBe($"[{number}] Assigned to you: Printer jam");

        (await actions.ReassignAsync(new ReassignCommand(number, Lee, "facilities-team", null, new ActionKey("to-fac")), _app.Workflow)).IsSuccess.ShouldBeTrue();
        (await MailsAsync(3))[2].To.ShouldBe(["facilities-help@example.edu"]);

        var felix = new Caller("fac-lead", "Felix Long", "felix.long@example.edu", new HashSet<string> { Roles.Agent });
        (await actions.ReassignAsync(new ReassignCommand(number, felix, "network-team", null, new ActionKey("to-net")), _app.Workflow)).IsSuccess.ShouldBeTrue();
        var ticket = await _app.WaitForTicketAsync(number, t => t.Outgoing.All(o => !o.IsPending));
        ticket.Outgoing.Count(o => o.Kind == OutgoingKind.Assigned).ShouldBe(3, "the opening, Ann, Facilities; not Network Operations");
        _app.SendGrid.Mails.Count.ShouldBe(3);
    }

    private async Task<string> SubmitAsync(string subject)
    {
        var message = new IntakeMessage(Channel.Web, Guid.NewGuid().ToString(), new RequesterClaim("user-ursula", "Ursula User"), subject, "Details.");
        return (await _app.Get<IntakePipeline>().SubmitAsync(message, _app.Workflow)).Value.TicketNumber;
    }

    private async Task<IReadOnlyList<CapturedMail>> MailsAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (_app.SendGrid.Mails.Count < count)
        {
            await Task.Delay(50, timeout.Token);
        }

        return _app.SendGrid.Mails;
    }
}
