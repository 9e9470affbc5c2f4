using System.Text;
using System.Text.RegularExpressions;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Escalation.Functions.Http;
using Escalation.Tests.Support;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Tests.Channels;

/// <summary>The SendGrid Inbound Parse webhook, end to end on the real store, Durable engine and SendGrid client.</summary>
[Collection(CosmosCollection.Name)]
public sealed class EmailIntakeTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private const string Secret = "inbound-secret";
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(cosmos, new Dictionary<string, string?>
    {
        ["Intake:EmailWebhookSecret"] = Secret,
        ["Intake:MaxAttachmentBytes"] = "3000",
        ["Intake:MaxEmailBytes"] = "2000000",
        ["Sla:DefaultWindow"] = "00:00:03",
    }, withDurable: true);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_new_email_opens_a_ticket_and_the_requester_gets_one_acknowledgement_with_the_number()
    {
        var response = await PostAsync(InboundParse.Fixture("new-request"));

        response.Status.ShouldBe(201);
        var number = response.Json.GetProperty("ticketNumber").GetString()!;
        var ticket = await _app.TicketAsync(number);
        ticket.Channel.ShouldBe(Channel.Email);
        ticket.Requester.PersonId.ShouldBe("user-ursula");
        ticket.Subject.ShouldBe("Laptop will not boot");
        ticket.Description.ShouldContain("black screen");
        ticket.Flags.ShouldBeEmpty("SPF and DKIM prove the sender");

        await _app.WaitForTicketAsync(number, t => t.History.Exists(h => h.Type == HistoryEntryType.Acknowledged));
        var ack = _app.SendGrid.Mails.Single(m => m.Subject.Contains("We received your request", StringComparison.Ordinal));
        ack.To.ShouldBe(["ursula.user@example.edu"]);
        ack.Subject.ShouldStartWith($"[{number}]");
        ack.Text.ShouldContain(number);
    }

    [Fact]
    public async Task A_redelivered_email_creates_no_second_ticket_and_no_second_acknowledgement()
    {
        var first = await PostAsync(InboundParse.Fixture("new-request"));
        var number = first.Json.GetProperty("ticketNumber").GetString()!;
        await _app.WaitForTicketAsync(number, t => t.History.Exists(h => h.Type == HistoryEntryType.Acknowledged));

        var again = await PostAsync(InboundParse.Fixture("new-request"));

        again.Status.ShouldBe(200);
        again.Json.GetProperty("disposition").GetString().ShouldBe("duplicate");
        again.Json.GetProperty("ticketNumber").GetString().ShouldBe(number);
        await Task.Delay(500);
        (await CountAsync(_app.Store.Tickets)).ShouldBe(1);
        _app.SendGrid.Mails.Count(m => m.Subject.Contains("We received", StringComparison.Ordinal)).ShouldBe(1);
        var history = (await _app.TicketAsync(number)).History;
        history.Count(h => h.Type == HistoryEntryType.Created).ShouldBe(1);
        history.Count(h => h.Type == HistoryEntryType.Acknowledged).ShouldBe(1);
    }

    [Fact]
    public async Task A_different_message_reusing_a_Message_ID_is_answered_2xx_ignored_and_changes_nothing()
    {
        var first = await PostAsync(InboundParse.Fixture("new-request"));
        var number = first.Json.GetProperty("ticketNumber").GetString()!;
        await _app.WaitForTicketAsync(number, t => t.History.Exists(h => h.Type == HistoryEntryType.Acknowledged));

        var reused = await PostAsync(InboundParse.Fixture("new-request").With("text", "Something else entirely"));

        reused.Status.ShouldBe(200);
        reused.Json.GetProperty("disposition").GetString().ShouldBe("ignored");
        (await CountAsync(_app.Store.Tickets)).ShouldBe(1);
        var ticket = await _app.TicketAsync(number);
        ticket.Description.ShouldNotContain("Something else");
        ticket.History.ShouldNotContain(h => h.Type == HistoryEntryType.Message);
    }

    [Fact]
    public async Task An_unknown_sender_still_gets_a_ticket_flagged_for_triage()
    {
        var mail = InboundParse.Fixture("new-request")
            .With("from", "Visiting Scholar <visitor@partner.example.org>")
            .Header("Message-ID", "<visitor-1@partner.example.org>");

        var number = (await PostAsync(mail)).Json.GetProperty("ticketNumber").GetString()!;

        var ticket = await _app.TicketAsync(number);
        ticket.NeedsTriage.ShouldBeTrue();
        ticket.Flags.ShouldContain(TicketFlags.UnknownRequester);
        ticket.Requester.Email.ShouldBe("visitor@partner.example.org");
        ticket.Requester.DisplayName.ShouldBe("Visiting Scholar");
    }

    [Fact]
    public async Task A_reply_with_the_ticket_number_in_the_subject_is_added_to_that_ticket()
    {
        var number = (await PostAsync(InboundParse.Fixture("new-request"))).Json.GetProperty("ticketNumber").GetString()!;

        var reply = InboundParse.Fixture("new-request")
            .With("subject", $"Re: [{number}] We received your request: Laptop will not boot")
            .With("text", "It also smells of smoke now.")
            .Header("Message-ID", "<reply-2@mail.example.edu>");
        var response = await PostAsync(reply);

        response.Status.ShouldBe(200);
        response.Json.GetProperty("disposition").GetString().ShouldBe("appended");
        (await CountAsync(_app.Store.Tickets)).ShouldBe(1);
        var ticket = await _app.TicketAsync(number);
        ticket.History.ShouldContain(h => h.Type == HistoryEntryType.Message && h.Summary.Contains("smells of smoke", StringComparison.Ordinal));
        ticket.FirstResponseAt.ShouldBeNull("the requester's own reply is not a response");

        (await PostAsync(reply)).Json.GetProperty("disposition").GetString().ShouldBe("duplicate");
        (await _app.TicketAsync(number)).History.Count(h => h.Type == HistoryEntryType.Message).ShouldBe(1);
    }

    [Fact]
    public async Task A_reply_to_an_escalation_notice_lands_on_its_ticket_by_In_Reply_To()
    {
        var number = (await PostAsync(InboundParse.Fixture("new-request"))).Json.GetProperty("ticketNumber").GetString()!;
        await _app.WaitForTicketAsync(number, t => t.History.Count(h => h.Type == HistoryEntryType.NoticeSent) == 2);
        var notice = _app.SendGrid.Mails.First(m => m.To[0] == "dana.reyes@example.edu");

        var reply = InboundParse.Fixture("new-request")
            .With("from", "Dana Reyes <dana.reyes@example.edu>")
            .With("subject", "Re: escalation")
            .With("text", "I have asked Lee to look at this today.")
            .Header("Message-ID", "<dana-reply@mail.example.edu>")
            .Header("In-Reply-To", notice.MessageId)
            .Header("References", notice.MessageId);
        var response = await PostAsync(reply);

        response.Json.GetProperty("disposition").GetString().ShouldBe("appended");
        response.Json.GetProperty("ticketNumber").GetString().ShouldBe(number);
        (await _app.TicketAsync(number)).History.ShouldContain(h => h.Actor == "dir-uss" && h.Summary.Contains("asked Lee", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stranger_who_guesses_or_alters_a_notice_Message_ID_cannot_thread_into_the_ticket()
    {
        var number = (await PostAsync(InboundParse.Fixture("new-request"))).Json.GetProperty("ticketNumber").GetString()!;
        await _app.WaitForTicketAsync(number, t => t.History.Count(h => h.Type == HistoryEntryType.NoticeSent) == 2);
        var sent = _app.SendGrid.Mails.Select(m => m.MessageId).ToList();
        sent.ShouldAllBe(id => Regex.IsMatch(id, @"^<SD-\d+\.[\w.-]+\.[0-9a-f]{32}@escalation\.example\.edu>$"));
        var notice = _app.SendGrid.Mails.First(m => m.To[0] == "dana.reyes@example.edu").MessageId;

        var guesses = new[]
        {
            $"<{number}.ack@escalation.example.edu>",
            $"<{number}.sla.dir-uss@escalation.example.edu>",
            notice.ToUpperInvariant(),
            Regex.Replace(notice, "[0-9a-f]{32}", new string('0', 32)),
        };
        foreach (var (guess, i) in guesses.Select((g, i) => (g, i)))
        {
            var stranger = InboundParse.Fixture("new-request")
                .With("from", "Mallory <mallory@example.edu>")
                .With("subject", "Re: escalation")
                .With("text", $"Please close it ({i}).")
                .Header("Message-ID", $"<mallory-{i}@example.edu>")
                .Header("In-Reply-To", guess)
                .Header("References", guess);

            var response = await PostAsync(stranger);

            response.Json.GetProperty("disposition").GetString().ShouldBe("created", guess);
            response.Json.GetProperty("ticketNumber").GetString().ShouldNotBe(number);
        }

        (await _app.TicketAsync(number)).History.ShouldNotContain(h => h.Summary.Contains("Please close it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reply_from_the_assigned_team_is_the_first_response_and_stops_the_SLA_clock()
    {
        var number = (await PostAsync(InboundParse.Fixture("new-request"))).Json.GetProperty("ticketNumber").GetString()!;

        var reply = InboundParse.Fixture("new-request")
            .With("from", "Ann Agent <ann.agent@example.edu>")
            .With("subject", $"RE: [{number}] Laptop will not boot")
            .With("text", "I will come by your office at 1pm.")
            .Header("Message-ID", "<ann-1@mail.example.edu>");
        await PostAsync(reply);
        await Task.Delay(TimeSpan.FromSeconds(4));

        var ticket = await _app.TicketAsync(number);
        ticket.FirstResponseAt.ShouldNotBeNull();
        ticket.History.ShouldNotContain(h => h.Type == HistoryEntryType.SlaBreached);
        _app.SendGrid.Mails.ShouldNotContain(m => m.Subject.Contains("Escalation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_subject_and_name_with_line_breaks_are_stored_and_mailed_as_one_line()
    {
        var mail = InboundParse.Fixture("new-request")
            .With("from", "=?utf-8?B?VmlzaXRpbmcNCkJjYzogeEBleGFtcGxlLmNvbQ==?= <visitor@partner.example.org>")
            .With("subject", "Help\r\nBcc: attacker@example.com")
            .Header("Message-ID", "<crlf-1@partner.example.org>");

        var number = (await PostAsync(mail)).Json.GetProperty("ticketNumber").GetString()!;

        var ticket = await _app.TicketAsync(number);
        ticket.Subject.ShouldBe("Help Bcc: attacker@example.com");
        ticket.Requester.DisplayName.ShouldBe("Visiting Bcc: x@example.com");
        await _app.WaitForTicketAsync(number, t => t.History.Exists(h => h.Type == HistoryEntryType.Acknowledged)
            && t.History.Exists(h => h.Type == HistoryEntryType.NoticeSent));
        var mails = _app.SendGrid.Mails;
        mails.ShouldContain(m => m.Subject.Contains("We received your request: Help Bcc: attacker@example.com", StringComparison.Ordinal));
        mails.ShouldContain(m => m.Subject.Contains("Escalation: no first response - Help Bcc: attacker@example.com", StringComparison.Ordinal));
        mails.ShouldAllBe(m => !m.Subject.Contains('\r') && !m.Subject.Contains('\n') && m.ToNames.All(n => n == null || !n.Contains('\n')));
    }

    [Fact]
    public async Task A_reply_from_the_assigned_team_that_SPF_and_DKIM_do_not_prove_is_kept_flagged_and_the_clock_keeps_running()
    {
        var number = (await PostAsync(InboundParse.Fixture("new-request"))).Json.GetProperty("ticketNumber").GetString()!;

        var spoofed = InboundParse.Fixture("new-request")
            .With("from", "Ann Agent <ann.agent@example.edu>")
            .With("subject", $"RE: [{number}] Laptop will not boot")
            .With("text", "Fixed, closing.")
            .With("SPF", "pass")
            .With("envelope", """{"to":["helpdesk@parse.example.edu"],"from":"mallory@attacker.example"}""")
            .With("dkim", "{@attacker.example : pass}")
            .Header("Message-ID", "<spoof-1@attacker.example>");
        var response = await PostAsync(spoofed);

        response.Json.GetProperty("disposition").GetString().ShouldBe("appended");
        var ticket = await _app.WaitForTicketAsync(number, t => t.History.Exists(h => h.Type == HistoryEntryType.SlaBreached));
        ticket.FirstResponseAt.ShouldBeNull();
        var entry = ticket.History.Single(h => h.Summary.Contains("Fixed, closing.", StringComparison.Ordinal));
        entry.Type.ShouldBe(HistoryEntryType.Message);
        entry.Summary.ShouldStartWith("[unverified sender] ");
    }

    [Fact]
    public async Task Mail_that_fails_SPF_and_DKIM_opens_a_flagged_ticket_but_gets_no_acknowledgement()
    {
        var forged = InboundParse.Fixture("new-request")
            .With("SPF", "fail")
            .With("dkim", "{@example.edu : fail}");

        var response = await PostAsync(forged);

        response.Status.ShouldBe(201);
        var number = response.Json.GetProperty("ticketNumber").GetString()!;
        var ticket = await _app.WaitForTicketAsync(number, t => t.History.Count(h => h.Type == HistoryEntryType.NoticeSent) == 2);
        ticket.Flags.ShouldBe([TicketFlags.UnverifiedSender]);
        ticket.NeedsTriage.ShouldBeTrue();
        ticket.History.ShouldNotContain(h => h.Type == HistoryEntryType.Acknowledged);
        _app.SendGrid.Mails.ShouldNotContain(m => m.To.Contains("ursula.user@example.edu"));
    }

    [Theory]
    [InlineData("out-of-office")]
    [InlineData("bounce")]
    public async Task Automatic_mail_opens_no_ticket_and_gets_no_acknowledgement(string fixture)
    {
        var response = await PostAsync(InboundParse.Fixture(fixture));

        response.Status.ShouldBe(200);
        response.Json.GetProperty("disposition").GetString().ShouldBe("ignored");
        await Task.Delay(300);
        (await CountAsync(_app.Store.Tickets)).ShouldBe(0);
        _app.SendGrid.Mails.ShouldBeEmpty();
    }

    [Fact]
    public async Task Spam_above_the_limit_is_quarantined_not_ticketed()
    {
        var response = await PostAsync(InboundParse.Fixture("spam"));

        response.Json.GetProperty("disposition").GetString().ShouldBe("quarantined");
        (await CountAsync(_app.Store.Tickets)).ShouldBe(0);
        _app.Archive.Quarantine.Values.Single().Subject.ShouldBe("You have WON");
    }

    [Fact]
    public async Task The_charsets_field_is_honoured()
    {
        var number = (await PostAsync(InboundParse.Fixture("latin1"))).Json.GetProperty("ticketNumber").GetString()!;

        var ticket = await _app.TicketAsync(number);
        ticket.Subject.ShouldBe("Café printer");
        ticket.Description.ShouldContain("« Erreur 42 »");
        ticket.Requester.DisplayName.ShouldBe("René Café");
    }

    [Fact]
    public async Task Attachments_are_kept_in_blob_storage_and_oversized_ones_are_noted_not_stored()
    {
        var number = (await PostAsync(InboundParse.Fixture("with-attachments"))).Json.GetProperty("ticketNumber").GetString()!;

        var ticket = await _app.TicketAsync(number);
        ticket.Attachments.Count.ShouldBe(2);
        var kept = ticket.Attachments[0];
        kept.FileName.ShouldBe("screenshot.png");
        _app.Archive.Attachments[kept.BlobName!].Length.ShouldBe(2048);
        ticket.Attachments[1].BlobName.ShouldBeNull();
        ticket.Attachments[1].Note!.ShouldContain("not kept");
        ticket.Description.ShouldContain("huge log.txt' (4096 bytes) was not kept");
        _app.Archive.Attachments.Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_email_above_the_size_limit_is_413_and_stores_nothing()
    {
        var response = await PostAsync(InboundParse.Fixture("new-request").With("text", new string('x', 2_100_000)));

        response.Status.ShouldBe(413);
        (await CountAsync(_app.Store.Tickets)).ShouldBe(0);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("?key=wrong")]
    [InlineData("?key=")]
    public async Task Without_the_secret_the_webhook_is_401(string? query)
    {
        var response = await PostAsync(InboundParse.Fixture("new-request"), query ?? string.Empty);

        response.Status.ShouldBe(401);
        response.ContentType.ShouldBe(Problems.ContentType);
        (await CountAsync(_app.Store.Tickets)).ShouldBe(0);
    }

    [Fact]
    public async Task The_secret_may_come_as_the_basic_auth_password()
    {
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"sendgrid:{Secret}"));

        var response = await PostAsync(InboundParse.Fixture("new-request"), string.Empty, basic);

        response.Status.ShouldBe(201);
    }

    [Theory]
    [InlineData("text/plain", "hello")]
    [InlineData("multipart/form-data", "no boundary")]
    [InlineData("multipart/form-data; boundary=xYzZY", "--xYzZY\r\nContent-Disposition: form-data; name=\"from\"\r\n\r\nnot terminated")]
    [InlineData("multipart/form-data; boundary=xYzZY", "")]
    public async Task Broken_bodies_are_400_and_store_nothing(string contentType, string body)
    {
        var response = await PostRawAsync(Encoding.UTF8.GetBytes(body), contentType);

        response.Status.ShouldBe(400);
        response.ContentType.ShouldBe(Problems.ContentType);
        (await CountAsync(_app.Store.Tickets)).ShouldBe(0);
    }

    [Fact]
    public async Task A_post_without_a_sender_is_answered_200_ignored_so_SendGrid_does_not_retry_it()
    {
        var response = await PostAsync(InboundParse.Fixture("new-request").Without("from"));

        response.Status.ShouldBe(200);
        response.Json.GetProperty("disposition").GetString().ShouldBe("ignored");
        response.Json.GetProperty("reason").GetString()!.ShouldContain("sender");
        (await CountAsync(_app.Store.Tickets)).ShouldBe(0);
    }

    [Theory]
    [InlineData("*raw*", "{not json")]
    [InlineData("*raw*", "[\"text\"]")]
    [InlineData("text", "x-klingon-8")]
    [InlineData("text", "utf-7")]
    [InlineData("text", "UTF7")]
    [InlineData("text", "csUnicode11UTF7")]
    public async Task A_broken_charsets_field_or_an_unknown_or_unsafe_charset_is_read_as_UTF_8(string field, string charset)
    {
        var response = await PostAsync(InboundParse.Fixture("new-request").With("text", "Hello +ADw-script+AD4- «").Charset(field, charset));

        response.Status.ShouldBe(201);
        var ticket = await _app.TicketAsync(response.Json.GetProperty("ticketNumber").GetString()!);
        ticket.Description.ShouldStartWith("Hello +ADw-script+AD4-", customMessage: "UTF-7 would have decoded this to <script>");
    }

    [Fact]
    public async Task An_html_only_mail_of_600000_unclosed_angle_brackets_is_a_ticket_not_a_timeout()
    {
        var mail = InboundParse.Fixture("new-request").Without("text").With("html", new string('<', 600_000));

        var started = System.Diagnostics.Stopwatch.StartNew();
        var response = await PostAsync(mail);

        response.Status.ShouldBe(201);
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        (await _app.TicketAsync(response.Json.GetProperty("ticketNumber").GetString()!)).Description.ShouldStartWith("<<<<");
    }

    [Fact]
    public async Task Html_tags_are_removed_from_an_html_only_mail()
    {
        var mail = InboundParse.Fixture("new-request").Without("text").With("html", "<div>Printer &amp; scanner<br>down</div><p>since 9 < 10");

        var number = (await PostAsync(mail)).Json.GetProperty("ticketNumber").GetString()!;

        (await _app.TicketAsync(number)).Description.ShouldBe("Printer & scanner down  since 9 < 10");
    }

    [Theory]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("NaN")]
    [InlineData("1e309")]
    public async Task A_spam_score_that_is_not_a_finite_number_is_quarantined(string score)
    {
        var response = await PostAsync(InboundParse.Fixture("new-request").With("spam_score", score));

        response.Status.ShouldBe(200);
        response.Json.GetProperty("disposition").GetString().ShouldBe("quarantined");
        (await CountAsync(_app.Store.Tickets)).ShouldBe(0);
        _app.Archive.Quarantine.Values.Single().SpamScore.ShouldBeNull();
    }

    [Theory]
    [InlineData("text/plain\r\nX-Injected: yes")]
    [InlineData("image/pngé")]
    [InlineData("изображение/png")]
    public async Task An_attachment_type_that_is_not_a_media_type_is_kept_as_octet_stream(string claimedType)
    {
        var mail = InboundParse.Fixture("new-request").Attach("shot\r\n.png", "image/png", 100, claimedType);

        var number = (await PostAsync(mail)).Json.GetProperty("ticketNumber").GetString()!;

        var attachment = (await _app.TicketAsync(number)).Attachments.Single();
        attachment.ContentType.ShouldBe("application/octet-stream");
        attachment.FileName.ShouldBe("shot .png");
        _app.Archive.ContentTypes[attachment.BlobName!].ShouldBe("application/octet-stream");
    }

    private Task<HttpOutcome> PostAsync(InboundParse mail, string query = "?key=" + Secret, string? authorization = null) =>
        PostRawAsync(mail.Build(), InboundParse.ContentType, query, authorization);

    private async Task<HttpOutcome> PostRawAsync(byte[] body, string contentType, string query = "?key=" + Secret, string? authorization = null)
    {
        var request = HttpCall.Request("POST", "/api/intake/email", string.Empty, contentType: contentType,
            headers: authorization is null ? null : new Dictionary<string, string> { ["Authorization"] = authorization });
        request.Body = new MemoryStream(body);
        request.ContentLength = body.Length;
        request.QueryString = new Microsoft.AspNetCore.Http.QueryString(query);
        var function = ActivatorUtilities.CreateInstance<EmailIntakeFunction>(_app.Services);
        return await HttpCall.ExecuteAsync(request, await function.ReceiveEmail(request, _app.Durable!.Client, default));
    }

    private static async Task<int> CountAsync(Container container)
    {
        using var query = container.GetItemQueryIterator<int>("SELECT VALUE COUNT(1) FROM c");
        return (await query.ReadNextAsync()).Sum();
    }
}
