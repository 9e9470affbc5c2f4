using Ardalis.Result;
using Escalation.Core.Conversation;
using Escalation.Core.Identity;
using Escalation.Core.Intake;
using Escalation.Core.Intake.Email;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Escalation.Tests.Support;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Tests.Conversation;

/// <summary>
/// The conversation with the requester end to end on a real Durable Task engine: the desk's replies and resolutions
/// reach her once on the ticket's channel (e-mail threaded, chat signed, e-mail when chat refuses), internal notes
/// never do, her answers come back to the ticket and tell the agent once per burst, and an answer to the resolution
/// reopens the ticket.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class ConversationTests(CosmosServerFixture cosmos) : IAsyncLifetime, IDisposable
{
    private const string ChatSecret = "test-chat-reply-secret";
    private static readonly Caller Ann = new("agent-ann", "Ann Agent", "ann.agent@example.edu", new HashSet<string> { Roles.Agent });
    private static readonly Caller Bob = new("agent-bob", "Bob Network", "bob@example.edu", new HashSet<string> { Roles.Agent });
    private static readonly Caller Ursula = new("user-ursula", "Ursula User", "ursula.user@example.edu", new HashSet<string>());
    private readonly ChatReplyCapture _chat = new();
    private TestApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await TestApp.StartAsync(cosmos, new Dictionary<string, string?>
        {
            ["Conversation:ChatReplyUrl"] = _chat.Url,
            ["Conversation:ChatReplySigningSecret"] = ChatSecret,
            ["Mail:ReplyToAddress"] = "help@parse.example.edu",
            ["Console:PublicBaseUrl"] = "https://desk.example.edu",
        }, withDurable: true);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose() => _chat.Dispose();

    [Fact]
    public async Task A_reply_to_an_email_ticket_is_mailed_once_threaded_onto_the_conversation_and_her_answer_comes_back_to_the_ticket()
    {
        var number = await EmailTicketAsync();
        var ack = (await WaitForMailsAsync(1))[0];
        ack.Text.ShouldContain($"https://desk.example.edu/api/console#/ticket/{number}");

        await RespondAsync(number, "Please hold the power button for 30 seconds.", "k1");
        await RespondAsync(number, "Please hold the power button for 30 seconds.", "k1"); // a retried request
        var reply = (await WaitForMailsAsync(2))[1];

        reply.To.ShouldBe(["ursula.user@example.edu"]);
        reply.Subject.ShouldBe($"[{number}] Re: Laptop will not boot");
        reply.Text.ShouldContain("Ann Agent replied");
        reply.Text.ShouldContain("Please hold the power button for 30 seconds.");
        reply.Text.ShouldContain($"https://desk.example.edu/api/console#/ticket/{number}");
        reply.ReplyTo.ShouldBe("help@parse.example.edu");
        reply.Headers["In-Reply-To"].ShouldBe(ack.MessageId);
        reply.Headers["References"].ShouldBe($"<CAF1kN3Qv2m0X8xT@mail.example.edu> {ack.MessageId}");

        // Her answer names our reply's Message-ID (no ticket token in the subject): it is added to the same ticket.
        var answer = InboundParse.Fixture("new-request").With("subject", "Re: Laptop will not boot").With("text", "Done, still black.")
            .Header("Message-ID", "<answer-1@mail.example.edu>").Header("In-Reply-To", reply.MessageId);
        var receipt = await _app.Get<EmailIntake>().ReceiveAsync(InboundParse.ContentType, answer.Build(), _app.Workflow);
        receipt.Value.ShouldBe(new EmailReceipt(EmailDisposition.Appended, number));

        await RespondAsync(number, "A technician is on the way.", "k2");
        var second = (await WaitForMailsAsync(4)).Single(m => m.Text.Contains("technician", StringComparison.Ordinal));
        second.Headers["In-Reply-To"].ShouldBe("<answer-1@mail.example.edu>", "it answers her latest mail");
        await Task.Delay(500);
        _app.SendGrid.Mails.Count(m => m.To.Contains("ursula.user@example.edu")).ShouldBe(3, "the acknowledgement and two replies, each once");
    }

    [Fact]
    public async Task An_internal_note_is_never_sent_never_public_and_does_not_stop_the_clock()
    {
        var number = await WebTicketAsync();

        var noted = await _app.Get<TicketActions>().AddNoteAsync(new AddNoteCommand(number, Ann, "Probably the docking station.", new ActionKey("n1")));

        noted.IsSuccess.ShouldBeTrue();
        var ticket = await _app.TicketAsync(number);
        ticket.FirstResponseAt.ShouldBeNull();
        ticket.Outgoing.ShouldBeEmpty();
        TicketView.Of(ticket, DateTimeOffset.UtcNow, TicketVisibility.Public).History.ShouldNotContain(h => h.Summary.Contains("docking"));
        var hers = await _app.Get<TicketActions>().GetAsync(number, Ursula);
        hers.Value.History.ShouldNotContain(h => h.Type == HistoryEntryType.Note);
        hers.Value.Deliveries.ShouldBeNull();
        (await _app.Get<TicketActions>().GetAsync(number, Ann)).Value.History.ShouldContain(h => h.Type == HistoryEntryType.Note);
        await Task.Delay(300);
        _app.SendGrid.Mails.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_note_from_someone_who_only_sees_the_public_view_is_refused_and_changes_nothing()
    {
        var number = await WebTicketAsync();

        var refused = await _app.Get<TicketActions>().AddNoteAsync(new AddNoteCommand(number, Ursula, "let me in", new ActionKey("n1")));

        refused.Status.ShouldBe(Ardalis.Result.ResultStatus.Forbidden);
        (await _app.TicketAsync(number)).History.ShouldNotContain(h => h.Type == HistoryEntryType.Note);
    }

    [Fact]
    public async Task Through_a_mail_outage_the_reply_is_retried_and_arrives_once()
    {
        var number = await WebTicketAsync();
        _app.SendGrid.FailNext(2, 503);

        await RespondAsync(number, "Looking into it", "k1");

        var mail = (await WaitForMailsAsync(1)).Single();
        mail.To.ShouldBe(["ursula.user@example.edu"]);
        var ticket = await _app.WaitForTicketAsync(number, t => t.Outgoing.All(o => !o.IsPending));
        ticket.Outgoing.Single().DeliveredBy.ShouldBe(DeliveryRoute.Email);
        _app.SendGrid.Attempts.ShouldBe(3);
    }

    [Fact]
    public async Task A_reply_the_mail_provider_refuses_for_good_is_recorded_and_shown_on_the_ticket()
    {
        var number = await WebTicketAsync();
        _app.SendGrid.Refuse("ursula.user@example.edu");

        await RespondAsync(number, "Looking into it", "k1");

        var ticket = await _app.WaitForTicketAsync(number, t => t.Outgoing.All(o => !o.IsPending));
        var delivery = ticket.Outgoing.Single();
        delivery.FailedAt.ShouldNotBeNull();
        delivery.Problem.ShouldBe("The mail provider refused the requester's address.");
        ticket.History.ShouldContain(h => h.Type == HistoryEntryType.DeliveryFailed);
        (await _app.Get<TicketActions>().GetAsync(number, Ann)).Value.Deliveries!.Single().Problem.ShouldNotBeNull();
        _app.SendGrid.Mails.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_reply_to_a_chat_ticket_is_posted_signed_in_its_conversation_once_through_an_outage()
    {
        var number = await ChatTicketAsync();
        _chat.FailNext(1, 503);

        await RespondAsync(number, "Please reinstall the VPN client.", "k1", Bob);

        var ticket = await _app.WaitForTicketAsync(number, t => t.Outgoing.All(o => !o.IsPending));
        ticket.Outgoing.Single().DeliveredBy.ShouldBe(DeliveryRoute.Chat);
        var posted = _chat.Replies.ShouldHaveSingleItem();
        posted.ConversationId.ShouldBe("a:1vP9kQ2mZ7xR4tB8nC3dF6gH0jK5lL2sW9eY1uI4oA7qE3rT6yU");
        posted.Text.ShouldBe($"Bob Network ({number}): Please reinstall the VPN client.");
        posted.Body.GetProperty("ticketNumber").GetString().ShouldBe(number);
        ChatReplyCapture.IsSigned(posted, ChatSecret).ShouldBeTrue();
        ChatReplyCapture.IsSigned(posted, "another secret").ShouldBeFalse();
        _chat.Attempts.ShouldBe(2);
        _app.SendGrid.Mails.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(404)]
    [InlineData(400)]
    public async Task A_chat_reply_the_platform_refuses_for_good_goes_by_email(int status)
    {
        var number = await ChatTicketAsync();
        _chat.FailNext(1, status);

        await RespondAsync(number, "Please reinstall the VPN client.", "k1", Bob);

        var mail = (await WaitForMailsAsync(1)).Single();
        mail.To.ShouldBe(["ursula.user@example.edu"]);
        mail.Text.ShouldContain("Please reinstall the VPN client.");
        var ticket = await _app.WaitForTicketAsync(number, t => t.Outgoing.All(o => !o.IsPending));
        ticket.Outgoing.Single().DeliveredBy.ShouldBe(DeliveryRoute.Email);
        ticket.History.ShouldContain(h => h.Type == HistoryEntryType.DeliveryFailed && h.Summary.Contains("not posted in the chat"));
        _chat.Replies.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_voicemail_from_an_unknown_number_owes_a_call_back_and_the_call_is_recorded_as_the_reply()
    {
        var message = VoicemailTranscription.ReadMessage(System.Text.Encoding.UTF8.GetBytes(ChannelWebhooks.Voicemail("unknown-caller.json")), 0.6).Value;
        var number = (await _app.Get<IntakePipeline>().SubmitAsync(message, _app.Workflow)).Value.TicketNumber;

        var lead = new Caller("lead-net", "Nora Ali", "nora.ali@example.edu", new HashSet<string> { Roles.Agent });
        var written = await _app.Get<TicketActions>().RespondAsync(new RespondCommand(number, lead, "Tried to call back.", new ActionKey("c1")), _app.Workflow);
        var called = await _app.Get<TicketActions>().RespondAsync(
            new RespondCommand(number, lead, "Called back: printer fixed over the phone.", new ActionKey("c2"), ByPhone: true), _app.Workflow);

        written.Value.Deliveries![0].Route.ShouldBe(DeliveryRoute.CallBack);
        called.Value.Deliveries![^1].Route.ShouldBe(DeliveryRoute.Phone);
        called.Value.Deliveries!.ShouldAllBe(d => !d.IsPending);
        written.Value.Details["callerNumber"].ShouldBe("+1 555 010 7788");
        await Task.Delay(300);
        _app.SendGrid.Mails.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_resolution_reaches_her_and_her_answer_within_the_window_reopens_the_ticket()
    {
        var number = await WebTicketAsync();
        await RespondAsync(number, "Try another cable", "r1");
        (await _app.Get<TicketActions>().ResolveAsync(new ResolveCommand(number, Ann, "Replaced the cable.", new ActionKey("z1")), _app.Workflow))
            .IsSuccess.ShouldBeTrue();
        var resolution = (await WaitForMailsAsync(2)).Single(m => m.Subject.Contains("Resolved", StringComparison.Ordinal));
        resolution.Text.ShouldContain("Replaced the cable.");
        resolution.Text.ShouldContain("reply to this e-mail by");
        await _app.Durable!.Client.WaitForInstanceCompletionAsync(TicketWorkflow.InstanceId(number), new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

        var reply = await _app.Get<RequesterConversation>().ReplyAsync(new RequesterReplyCommand(number, Ursula, "It broke again.", new ActionKey("u1")),
            _app.Workflow);

        reply.Value.Status.ShouldBe(TicketStatus.InProgress);
        reply.Value.History.ShouldContain(h => h.Type == HistoryEntryType.Reopened);
        var ticket = await _app.TicketAsync(number);
        ticket.TimesReopened.ShouldBe(1);
        ticket.ResolvedAt.ShouldBeNull();
        ticket.FirstResponseAt.ShouldNotBeNull("the first response stays counted once");
        (await _app.Durable!.Client.WaitForInstanceStartAsync(TicketWorkflow.InstanceId(number), new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token))
            .RuntimeStatus.ShouldBe(OrchestrationRuntimeStatus.Running, "started again from the document to guard the reopened ticket");
        var told = (await WaitForMailsAsync(3))[^1];
        told.To.ShouldBe(["lee.park@example.edu"], "without an agent holding it, the team lead is told she wrote");
    }

    [Fact]
    public async Task Her_answer_long_after_the_resolution_is_refused_and_asks_for_a_new_ticket()
    {
        await using var app = await TestApp.StartAsync(cosmos, new Dictionary<string, string?> { ["Conversation:ReopenWindow"] = "00:00:00" },
            withDurable: true);
        var ticket = Builders.Ticket("SD-7001", createdAt: DateTimeOffset.UtcNow);
        ticket.Resolve("z", "agent-ann", "Done", DateTimeOffset.UtcNow.AddMinutes(-1));
        await app.Get<Escalation.Core.Storage.TicketStore>().CreateAsync(ticket);

        var reply = await app.Get<RequesterConversation>().ReplyAsync(new RequesterReplyCommand("SD-7001", Ursula, "Again", new ActionKey("u1")), app.Workflow);

        reply.Status.ShouldBe(Ardalis.Result.ResultStatus.Conflict);
        reply.Errors.Single().ShouldContain("open a new ticket");
        (await app.TicketAsync("SD-7001")).Status.ShouldBe(TicketStatus.Resolved);
    }

    [Fact]
    public async Task The_agent_holding_the_ticket_is_told_once_per_burst_of_her_messages()
    {
        var number = await WebTicketAsync();
        (await _app.Get<TicketActions>().ReassignAsync(new ReassignCommand(number, Ann, "service-desk", "agent-ann", new ActionKey("a1")), _app.Workflow))
            .IsSuccess.ShouldBeTrue();
        var conversation = _app.Get<RequesterConversation>();

        await conversation.ReplyAsync(new RequesterReplyCommand(number, Ursula, "One more thing", new ActionKey("u1")), _app.Workflow);
        await conversation.ReplyAsync(new RequesterReplyCommand(number, Ursula, "And another", new ActionKey("u2")), _app.Workflow);
        var told = (await WaitForMailsAsync(1)).Single();
        told.To.ShouldBe(["ann.agent@example.edu"]);
        told.Subject.ShouldBe($"[{number}] Ursula User wrote: Laptop will not boot");
        told.Text.ShouldContain($"https://desk.example.edu/api/console#/ticket/{number}");

        await RespondAsync(number, "Noted", "r1");
        await conversation.ReplyAsync(new RequesterReplyCommand(number, Ursula, "Thanks, one last thing", new ActionKey("u3")), _app.Workflow);

        var mails = await WaitForMailsAsync(3);
        mails.Count(m => m.To.Contains("ann.agent@example.edu")).ShouldBe(2, "one per burst: before and after the desk's reply");
    }

    [Fact]
    public async Task Her_chat_message_after_the_desks_reply_is_added_to_the_ticket_and_the_team_lead_is_told_once()
    {
        var number = await ChatTicketAsync();
        await RespondAsync(number, "Which VPN client version do you use?", "k1", Bob);
        var followUp = ChatWebhook.ReadMessage(System.Text.Encoding.UTF8.GetBytes(ChannelWebhooks.Chat("follow-up.json"))).Value;

        (await _app.Get<IntakePipeline>().SubmitAsync(followUp, _app.Workflow)).Value.Outcome.ShouldBe(IntakeOutcome.Appended);
        (await _app.Get<IntakePipeline>().SubmitAsync(followUp, _app.Workflow)).Value.Outcome.ShouldBe(IntakeOutcome.Duplicate);

        var told = (await WaitForMailsAsync(1)).Single();
        told.To.ShouldBe(["nora.ali@example.edu"], "the Network Operations lead: no agent holds the ticket");
        var ticket = await _app.WaitForTicketAsync(number, t => t.Outgoing.All(o => !o.IsPending));
        ticket.AwaitingDeskSince.ShouldNotBeNull();
        ticket.Outgoing.Count(o => o.Kind == OutgoingKind.RequesterWrote).ShouldBe(1);
    }

    [Fact]
    public async Task Her_replies_are_refused_to_anyone_but_her()
    {
        var number = await WebTicketAsync();
        var manager = new Caller("prof-paul", "Paul Chen", "paul.chen@example.edu", new HashSet<string> { Roles.Manager });

        (await _app.Get<RequesterConversation>().ReplyAsync(new RequesterReplyCommand(number, manager, "Hurry", new ActionKey("p1")), _app.Workflow))
            .Status.ShouldBe(Ardalis.Result.ResultStatus.Forbidden);
        (await _app.Get<RequesterConversation>().ReplyAsync(new RequesterReplyCommand(number, Ann, "x", new ActionKey("a1")), _app.Workflow))
            .Status.ShouldBe(Ardalis.Result.ResultStatus.Forbidden);
        (await _app.TicketAsync(number)).History.ShouldNotContain(h => h.Type == HistoryEntryType.Message);
    }

    [Fact]
    public async Task A_reply_whose_delivery_never_started_is_delivered_by_the_sweep()
    {
        var ticket = Builders.Ticket("SD-7002", createdAt: DateTimeOffset.UtcNow.AddMinutes(-5));
        ticket.Respond("r1", "agent-ann", "Looking into it", countsAsFirstResponse: true, DateTimeOffset.UtcNow.AddMinutes(-5));
        await _app.Get<Escalation.Core.Storage.TicketStore>().CreateAsync(ticket);

        await _app.Get<OrchestrationSweep>().RepairAsync(_app.Workflow);

        var delivered = await _app.WaitForTicketAsync("SD-7002", t => t.Outgoing.All(o => !o.IsPending));
        delivered.Outgoing.Single().DeliveredBy.ShouldBe(DeliveryRoute.Email);
        _app.SendGrid.Mails.Count(m => m.To.Contains("ursula.user@example.edu")).ShouldBe(1);
    }

    [Fact]
    public async Task My_tickets_lists_only_hers_latest_public_activity_first_a_page_at_a_time()
    {
        var store = _app.Get<Escalation.Core.Storage.TicketStore>();
        var start = DateTimeOffset.UtcNow.AddHours(-3);
        await store.CreateAsync(Builders.Ticket("SD-7101", createdAt: start));
        await store.CreateAsync(Builders.Ticket("SD-7102", createdAt: start.AddMinutes(10)));
        await store.CreateAsync(Builders.Ticket("SD-7103", createdAt: start.AddMinutes(20)));
        await store.CreateAsync(Builders.Ticket("SD-7104", createdAt: start.AddMinutes(30), requesterId: "prof-paul"));
        await store.UpdateAsync("SD-7101", t => t.Respond("r1", "agent-ann", "On it", true, start.AddHours(1)).Map(_ => true));
        await store.UpdateAsync("SD-7102", t => t.AddNote("n1", "agent-ann", "internal, not activity she sees", start.AddHours(2)));
        var functions = ActivatorUtilities.CreateInstance<Escalation.Functions.Http.TicketFunctions>(_app.Services);
        async Task<System.Text.Json.JsonElement> PageAsync(string query, Caller caller)
        {
            var request = HttpCall.Request("GET", "/api/tickets", caller: caller);
            request.QueryString = new Microsoft.AspNetCore.Http.QueryString(query);
            var response = await HttpCall.ExecuteAsync(request, await functions.ListTickets(request, default));
            response.Status.ShouldBe(200, response.Body);
            return response.Json;
        }

        var first = await PageAsync("?requester=me&pageSize=2", Ursula);
        var second = await PageAsync($"?requester=me&pageSize=2&continuation={Uri.EscapeDataString(first.GetProperty("continuation").GetString()!)}", Ursula);

        static IEnumerable<string> Numbers(System.Text.Json.JsonElement page) =>
            page.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("ticketNumber").GetString()!);
        Numbers(first).ShouldBe(["SD-7101", "SD-7103"], "her latest public activity first: the reply, then the newest ticket");
        Numbers(second).ShouldBe(["SD-7102"], "the internal note is not her activity");
        second.TryGetProperty("continuation", out _).ShouldBeFalse();
        first.GetProperty("tickets")[0].GetProperty("waitingForYou").GetBoolean().ShouldBeTrue("the desk replied last");
        first.GetProperty("tickets")[1].GetProperty("waitingForYou").GetBoolean().ShouldBeFalse();
        first.GetProperty("tickets")[0].TryGetProperty("description", out _).ShouldBeFalse("a list row, not the ticket");
        Numbers(await PageAsync("?requester=me", HttpCall.Person("prof-paul", Roles.Manager))).ShouldBe(["SD-7104"],
            "her manager sees his own tickets here, not hers");

        Numbers(await PageAsync(string.Empty, Ursula)).ShouldBe(["SD-7101", "SD-7103", "SD-7102"], "without a staff scope the list is her own");
        var refused = HttpCall.Request("GET", "/api/tickets", caller: Ursula);
        refused.QueryString = new Microsoft.AspNetCore.Http.QueryString("?requester=you");
        (await HttpCall.ExecuteAsync(refused, await functions.ListTickets(refused, default))).Status.ShouldBe(400);
    }

    private async Task RespondAsync(string number, string message, string key, Caller? agent = null)
    {
        var responded = await _app.Get<TicketActions>().RespondAsync(new RespondCommand(number, agent ?? Ann, message, new ActionKey(key)), _app.Workflow);
        responded.IsSuccess.ShouldBeTrue(string.Join(" ", responded.Errors));
    }

    private async Task<IReadOnlyList<CapturedMail>> WaitForMailsAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (_app.SendGrid.Mails.Count < count)
        {
            await Task.Delay(50, timeout.Token);
        }

        return _app.SendGrid.Mails;
    }

    private async Task<string> WebTicketAsync()
    {
        var message = new IntakeMessage(Channel.Web, Guid.NewGuid().ToString(), new RequesterClaim("user-ursula", "Ursula User"),
            "Laptop will not boot", "Black screen.");
        var receipt = await _app.Get<IntakePipeline>().SubmitAsync(message, _app.Workflow);
        return receipt.Value.TicketNumber;
    }

    private async Task<string> EmailTicketAsync()
    {
        var receipt = await _app.Get<EmailIntake>().ReceiveAsync(InboundParse.ContentType, InboundParse.Fixture("new-request").Build(), _app.Workflow);
        return receipt.Value.TicketNumber!;
    }

    private async Task<string> ChatTicketAsync()
    {
        var message = ChatWebhook.ReadMessage(System.Text.Encoding.UTF8.GetBytes(ChannelWebhooks.Chat("first-message.json"))).Value;
        return (await _app.Get<IntakePipeline>().SubmitAsync(message, _app.Workflow)).Value.TicketNumber;
    }
}
