using Escalation.Core.Conversation;
using Escalation.Core.Identity;
using Escalation.Core.Notifications;
using Escalation.Core.Tickets;
using Escalation.Tests.Support;

namespace Escalation.Tests.Core;

/// <summary>The conversation's rules on the ticket itself: what is owed to whom, bursts, reopening, routes, and the mails' threading.</summary>
public class ConversationRulesTests
{
    private static readonly DateTimeOffset Now = Builders.Monday9am;
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    [Fact]
    public void A_reply_owes_one_delivery_on_the_tickets_route_and_a_retry_owes_nothing_more()
    {
        var ticket = Builders.Ticket();

        ticket.Respond("r1", "agent-ann", "On it", countsAsFirstResponse: true, Now);
        ticket.Respond("r1", "agent-ann", "On it", countsAsFirstResponse: true, Now);

        var owed = ticket.Outgoing.ShouldHaveSingleItem();
        owed.Kind.ShouldBe(OutgoingKind.Reply);
        owed.Route.ShouldBe(DeliveryRoute.Email);
        owed.Text.ShouldBe("On it");
        owed.IsPending.ShouldBeTrue();
        ticket.PendingDeliveries.ShouldBe(1);
        ticket.AwaitingRequesterSince.ShouldBe(Now);
    }

    [Fact]
    public void Routes_follow_the_channel_and_what_is_known_of_the_requester()
    {
        Builders.Ticket().RequesterRoute.ShouldBe(DeliveryRoute.Email);

        var chat = Ticket.Open("SD-1", Channel.Chat, "teams:m1", new Requester("user-ursula", "Ursula", "u@example.edu"), "VPN", "VPN", null,
            Priority.Normal, new Assignment("network-team"), [], Now, Now.AddDays(2));
        chat.Details["conversationId"] = "c-1";
        chat.RequesterRoute.ShouldBe(DeliveryRoute.Chat);

        var voicemail = Ticket.Open("SD-2", Channel.Voicemail, "call-1", new Requester(null, "+1 555 010 7788", null, "+1 555 010 7788"),
            "Call me", "Call me", null, Priority.Normal, new Assignment("service-desk"), [], Now, Now.AddDays(2));
        voicemail.RequesterRoute.ShouldBe(DeliveryRoute.CallBack);
        voicemail.Respond("r1", "lead-desk", "Tried to call", true, Now);
        voicemail.Outgoing.Single().IsPending.ShouldBeFalse("nothing can be sent: the ticket shows call back");
    }

    [Fact]
    public void What_the_agent_said_on_the_phone_is_recorded_and_owes_nothing()
    {
        var ticket = Builders.Ticket();

        ticket.Respond("r1", "agent-ann", "Called her", true, Now, route: DeliveryRoute.Phone);

        ticket.Outgoing.Single().Route.ShouldBe(DeliveryRoute.Phone);
        ticket.PendingDeliveries.ShouldBe(0);
        ticket.FirstResponseAt.ShouldBe(Now);
    }

    [Fact]
    public void Her_messages_tell_the_holder_once_per_burst()
    {
        var ticket = Builders.Ticket();

        ticket.AppendMessage("m1", "user-ursula", "one", false, Now, fromRequester: true);
        ticket.AppendMessage("m2", "user-ursula", "two", false, Now.AddMinutes(1), fromRequester: true);
        ticket.Respond("r1", "agent-ann", "ok", true, Now.AddMinutes(2));
        ticket.AppendMessage("m3", "user-ursula", "three", false, Now.AddMinutes(3), fromRequester: true);

        ticket.Outgoing.Where(o => o.Kind == OutgoingKind.RequesterWrote).Select(o => (o.Id, o.EntryId))
            .ShouldBe([("SD-1001.wrote.1", "m1"), ("SD-1001.wrote.2", "m3")]);
        ticket.AwaitingDeskSince.ShouldBe(Now.AddMinutes(3));
        ticket.AwaitingRequesterSince.ShouldBeNull();
    }

    [Fact]
    public void An_internal_note_owes_nothing_is_not_public_and_is_no_activity_she_sees()
    {
        var ticket = Builders.Ticket();
        var before = ticket.LastPublicActivityAt;

        ticket.AddNote("n1", "agent-ann", "internal", Now.AddHours(1));

        ticket.Outgoing.ShouldBeEmpty();
        ticket.FirstResponseAt.ShouldBeNull();
        ticket.LastPublicActivityAt.ShouldBe(before);
        TicketAccessPolicy.IsPublic(ticket.History[^1]).ShouldBeFalse();
    }

    [Theory]
    [InlineData(6.9, true)]
    [InlineData(7.0, true)]
    [InlineData(7.1, false)]
    public void Her_answer_reopens_a_resolved_ticket_only_within_the_window(double daysLater, bool reopens)
    {
        var ticket = Builders.Ticket();
        ticket.Resolve("z1", "agent-ann", "Replaced the disk", Now);

        var outcome = ticket.AppendMessage("m1", "user-ursula", "Broken again", false, Now.AddDays(daysLater), fromRequester: true, reopenWindow: Week);

        outcome.ShouldBe(reopens ? MessageAppend.Reopened : MessageAppend.Appended);
        ticket.IsResolved.ShouldBe(!reopens);
        ticket.TimesReopened.ShouldBe(reopens ? 1 : 0);
        ticket.History.Any(h => h.Type == HistoryEntryType.Reopened).ShouldBe(reopens);
    }

    [Fact]
    public void Someone_other_than_the_requester_never_reopens()
    {
        var ticket = Builders.Ticket();
        ticket.Resolve("z1", "agent-ann", "Done", Now);

        ticket.AppendMessage("m1", "someone-else", "hi", false, Now.AddHours(1), fromRequester: false, reopenWindow: Week)
            .ShouldBe(MessageAppend.Appended);

        ticket.IsResolved.ShouldBeTrue();
    }

    [Fact]
    public void A_reopened_ticket_keeps_its_first_response_and_one_resolved_without_a_response_counts_the_resolution_as_it()
    {
        var answered = Builders.Ticket();
        answered.Respond("r1", "agent-ann", "On it", true, Now.AddHours(1));
        answered.Resolve("z1", "agent-ann", "Done", Now.AddHours(2));
        var silent = Builders.Ticket("SD-1002");
        silent.Resolve("z1", "agent-ann", "Done", Now.AddHours(3));
        var stoppedBefore = SlaState.ClockStoppedAt(silent);

        answered.AppendMessage("m1", "user-ursula", "again", false, Now.AddHours(4), fromRequester: true, reopenWindow: Week);
        silent.AppendMessage("m1", "user-ursula", "again", false, Now.AddHours(4), fromRequester: true, reopenWindow: Week);

        answered.FirstResponseAt.ShouldBe(Now.AddHours(1));
        silent.FirstResponseAt.ShouldBe(Now.AddHours(3));
        SlaState.ClockStoppedAt(silent).ShouldBe(stoppedBefore, "the reports' clock does not move");
        silent.Status.ShouldBe(TicketStatus.InProgress);
        silent.ResolvedAt.ShouldBeNull();
    }

    [Fact]
    public void The_resolution_is_owed_to_the_requester()
    {
        var ticket = Builders.Ticket();

        ticket.Resolve("z1", "agent-ann", "Replaced the disk", Now);

        ticket.Outgoing.ShouldHaveSingleItem().Kind.ShouldBe(OutgoingKind.Resolution);
    }

    [Fact]
    public void Mails_to_her_are_not_a_way_into_the_staffs_view()
    {
        var ticket = Builders.Ticket();
        ticket.ClaimNotice(ticket.AcknowledgementId, "user-ursula", Now, TimeSpan.FromMinutes(2)); // as recorded before 2026-12-08
        var ursula = new Caller("user-ursula", "Ursula User", "ursula.user@example.edu", new HashSet<string>());

        TicketAccessPolicy.Visibility(TicketAccessPolicy.RelationshipOf(ticket, ursula, Builders.Directory())).ShouldBe(TicketVisibility.Public);
    }

    [Fact]
    public void A_mail_to_her_answers_the_last_message_of_the_thread_and_names_its_first_and_latest()
    {
        var ticket = Ticket.Open("SD-1", Channel.Email, "first@mail.example.edu", new Requester("user-ursula", "Ursula", "u@example.edu"),
            "Printer", "Jammed", null, Priority.Normal, new Assignment("service-desk"), [], Now, Now.AddDays(2));
        for (var i = 0; i < 12; i++)
        {
            ticket.AddToMailThread(new NoticeDelivery($"d{i}", "requester", Now, $"<m{i}@x>", EmailSentAt: Now));
        }

        ticket.Respond("r1", "agent-ann", "Try this", true, Now);
        var mail = ConversationMails.ToRequester(ticket, ticket.Outgoing[0], "Ann Agent", new MailRecipient("u@example.edu", "Ursula"),
            new MailRecipient("help@parse.example.edu"), new ConsoleLinks("https://desk.example.edu"), Week, "<new@x>");

        ticket.MailThread[0].ShouldBe("<first@mail.example.edu>");
        mail.InReplyTo.ShouldBe("<m11@x>");
        mail.References.ShouldBe(["<first@mail.example.edu>", .. Enumerable.Range(3, 9).Select(i => $"<m{i}@x>")]);
        mail.Subject.ShouldBe("[SD-1] Re: Printer");
        mail.ReplyTo!.Email.ShouldBe("help@parse.example.edu");
        mail.Text.ShouldContain("https://desk.example.edu/api/console#/ticket/SD-1");
    }

    [Theory]
    [InlineData(null, null, "http://127.0.0.1:7071")]
    [InlineData(null, "func-abc.azurewebsites.net", "https://func-abc.azurewebsites.net")]
    [InlineData("https://desk.example.edu/", "func-abc.azurewebsites.net", "https://desk.example.edu")]
    public void The_console_base_url_comes_from_the_setting_else_the_app_service_host(string? setting, string? host, string expected) =>
        ConsoleOptions.BaseUrlFrom(setting, host).ShouldBe(expected);

    [Theory]
    [InlineData("ftp://desk.example.edu", false)]
    [InlineData("https://desk.example.edu?x=1", false)]
    [InlineData("not a url", false)]
    [InlineData("https://desk.example.edu", true)]
    [InlineData("", true)]
    public void The_console_base_url_is_checked_at_start_up(string value, bool valid) =>
        new ConsoleOptions { PublicBaseUrl = value }.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(new object())).Any()
            .ShouldBe(!valid);

    [Theory]
    [InlineData("https://chat.example.edu/replies", "secret", true)]
    [InlineData("https://chat.example.edu/replies", "", false)]
    [InlineData("https://chat.example.edu/replies", "@Microsoft.KeyVault(SecretUri=https://kv/secrets/x/)", false)]
    [InlineData("chat.example.edu", "secret", false)]
    [InlineData("", "", true)]
    public void An_outbound_chat_webhook_needs_a_url_and_a_resolved_secret(string url, string secret, bool valid) =>
        new ConversationOptions { ChatReplyUrl = url, ChatReplySigningSecret = secret }
            .Validate(new System.ComponentModel.DataAnnotations.ValidationContext(new object())).Any().ShouldBe(!valid);
}
