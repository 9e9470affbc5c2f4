using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Escalation.Core.Escalations;
using Escalation.Core.Reporting;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Escalation.Tests.WebConsole;

/// <summary>
/// The console and the portal in a real browser (headless Chromium) against the app's functions served over HTTP by
/// <see cref="FunctionsWebHost"/> on the local Cosmos server, a real Durable Task engine and the mail capture. People
/// sign in the way a local developer does: by picking a demo person, whom the page sends as the X-Dev-User header.
/// Every page leaves a screenshot under TestResults/screenshots in the test output folder.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed partial class ConsoleBrowserTests(CosmosServerFixture cosmos, BrowserFixture browser, ITestOutputHelper output)
    : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private readonly List<string> _browserErrors = [];
    private TestApp _app = null!;
    private FunctionsWebHost _host = null!;
    private IBrowserContext _context = null!;
    private IPage _page = null!;

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(cosmos, new Dictionary<string, string?>
        {
            ["Escalations:AcknowledgementWindow"] = "01:00:00",
            ["Escalations:ReminderInterval"] = "01:00:00",
        }, withDurable: true);
        _host = await FunctionsWebHost.StartAsync(_app);
        _context = await NewContextAsync(1280, 900);
        _page = await _context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _host.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_user_submits_a_ticket_in_the_portal_sees_its_number_and_an_agent_answers_it_on_the_ticket_page()
    {
        await SignInAsync("user-ursula", "Ursula User");
        await ScreenshotAsync("console-home-user");
        await _page.GetByRole(AriaRole.Link, new() { Name = "Portal: submit or escalate a ticket" }).ClickAsync();

        await _page.GetByLabel("Subject").FillAsync("Laptop will not boot");
        await _page.GetByLabel("What happened?").FillAsync("Black screen since this morning.");
        await _page.GetByLabel("Priority").SelectOptionAsync("high");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Submit", Exact = true }).ClickAsync();

        var result = _page.Locator("#result");
        await Expect(result).ToContainTextAsync(TicketNumberText());
        var number = TicketNumberText().Match(await result.InnerTextAsync()).Groups[1].Value;
        await ScreenshotAsync("portal-ticket-submitted");
        (await _app.TicketAsync(number)).Requester.PersonId.ShouldBe("user-ursula");

        // Ursula reads her ticket (the public view) with its clock running.
        await _page.GotoAsync($"api/console#/ticket/{number}");
        await Expect(_page.Locator("#sla-clock")).ToContainTextAsync(" left");
        await Expect(_page.Locator("#timeline")).ToContainTextAsync("Ticket opened by Web.");
        await Expect(_page.Locator("#respond-form")).ToHaveCountAsync(0);

        // Ann, a Service Desk agent, answers it from the ticket page: the clock stops, in time.
        await SwitchToAsync("agent-ann", "Ann Agent");
        await _page.GotoAsync($"api/console#/ticket/{number}");
        await _page.GetByLabel("Reply to the requester").FillAsync("Looking into it: a technician comes at 2 pm.");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Expect(_page.Locator("#status")).ToHaveTextAsync("Reply sent to the requester.");
        await Expect(_page.Locator("#sla-clock")).ToContainTextAsync("SLA met");
        await Expect(_page.Locator("#timeline")).ToContainTextAsync("Looking into it");
        await ScreenshotAsync("ticket-page-agent");
        (await _app.TicketAsync(number)).FirstResponseAt.ShouldNotBeNull();

        await ScreenshotOnPhoneAsync("ticket-page-phone", $"api/console#/ticket/{number}", "agent-ann", "Ann Agent");
        _browserErrors.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_agent_replies_and_notes_on_the_ticket_page_and_the_requester_gets_the_threaded_mail_answers_and_never_sees_the_note()
    {
        // Ursula writes in by e-mail; she is acknowledged with the ticket number.
        var received = await _app.Get<Escalation.Core.Intake.Email.EmailIntake>().ReceiveAsync(InboundParse.ContentType,
            InboundParse.Fixture("new-request").Build(), _app.Workflow);
        var number = received.Value.TicketNumber!;
        var ack = await MailAsync(m => m.Subject.Contains("We received your request", StringComparison.Ordinal));

        // Ann writes an internal note and a reply from the ticket page: two clearly different forms.
        await SignInAsync("agent-ann", "Ann Agent");
        await _page.GotoAsync($"api/console#/ticket/{number}");
        await _page.GetByLabel("Internal note").FillAsync("Probably the docking station; check the power supply first.");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Expect(_page.Locator("#status")).ToHaveTextAsync("Internal note added.");
        await _page.GetByLabel("Reply to the requester").FillAsync("Please hold the power button for 30 seconds and try again.");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Expect(_page.Locator("#status")).ToHaveTextAsync("Reply sent to the requester.");
        await Expect(_page.Locator("#timeline")).ToContainTextAsync("internal note");
        await Expect(_page.Locator("#timeline")).ToContainTextAsync("Ann Agent");
        await Expect(_page.Locator("#timeline")).Not.ToContainTextAsync("agent-ann");

        var reply = await MailAsync(m => m.Text.Contains("hold the power button", StringComparison.Ordinal));
        reply.To.ShouldBe(["ursula.user@example.edu"]);
        reply.Subject.ShouldBe($"[{number}] Re: Laptop will not boot");
        reply.Headers["In-Reply-To"].ShouldBe(ack.MessageId);
        reply.Headers["References"].ShouldBe($"<CAF1kN3Qv2m0X8xT@mail.example.edu> {ack.MessageId}");
        _app.SendGrid.Mails.ShouldNotContain(m => m.Text.Contains("docking station", StringComparison.Ordinal));
        await _app.WaitForTicketAsync(number, t => t.Outgoing.All(o => !o.IsPending));
        await _page.ReloadAsync();
        await Expect(_page.Locator("#timeline .delivery.ok")).ToContainTextAsync("Delivered by e-mail");
        await ScreenshotAsync("ticket-page-agent-conversation");

        // Ursula's home is her tickets; she opens this one, sees the reply but not the note, and answers.
        await SwitchToAsync("user-ursula", "Ursula User");
        await Expect(_page.Locator("#page-mine")).ToBeVisibleAsync();
        var row = _page.Locator($"#mine-list tr[data-ticket='{number}']");
        await Expect(row).ToContainTextAsync("The desk is waiting for you");
        await ScreenshotAsync("my-tickets");
        await row.GetByRole(AriaRole.Link, new() { Name = number }).ClickAsync();
        await Expect(_page.Locator("#timeline")).ToContainTextAsync("hold the power button");
        await Expect(_page.Locator("#timeline")).Not.ToContainTextAsync("docking station");
        await Expect(_page.Locator("#note-form")).ToHaveCountAsync(0);
        await Expect(_page.Locator("#respond-form")).ToHaveCountAsync(0);
        await _page.GetByLabel("Your message").FillAsync("Done that, it still shows a black screen.");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Send to the service desk" }).ClickAsync();
        await Expect(_page.Locator("#status")).ToHaveTextAsync("Your message was sent to the service desk.");
        await Expect(_page.Locator("#timeline")).ToContainTextAsync("still shows a black screen");
        await ScreenshotAsync("ticket-page-requester");

        var told = await MailAsync(m => m.Subject.Contains("Ursula User wrote", StringComparison.Ordinal));
        told.To.ShouldBe(["lee.park@example.edu"], "nobody holds the ticket yet: the Service Desk lead is told");
        told.Text.ShouldContain($"/api/console#/ticket/{number}");
        await ScreenshotOnPhoneAsync("my-tickets-phone", "api/console#/mine", "user-ursula", "Ursula User");
        _browserErrors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Anns_worklist_shows_a_new_ticket_of_her_team_without_a_reload_and_she_answers_it_from_the_list()
    {
        await _page.AddInitScriptAsync("window.worklistRefreshMs = 500;");
        await SignInAsync("agent-ann", "Ann Agent");
        var views = _page.GetByRole(AriaRole.Group, new() { Name = "Worklist views" });
        await Expect(views.GetByRole(AriaRole.Button, new() { Name = "Assigned to me 0" })).ToHaveAttributeAsync("aria-pressed", "true");
        await views.GetByRole(AriaRole.Button, new() { Name = "Unassigned in my teams 0" }).ClickAsync();

        // Ursula submits a ticket; the projection (a timer every 10 s in the app) brings it into the worklist.
        var number = await SubmitAsUrsulaAsync("Docking station not detected");
        await _app.Get<ReportProjection>().CatchUpAsync(default);

        var row = _page.Locator($"#worklist-list tr[data-ticket='{number}']");
        await Expect(row).ToContainTextAsync("Docking station not detected");
        await Expect(row).ToContainTextAsync("Ursula User");
        await Expect(row).ToContainTextAsync("Service Desk");
        await Expect(row).ToContainTextAsync(" left");
        await Expect(views.GetByRole(AriaRole.Button, new() { Name = "Unassigned in my teams 1" })).ToBeVisibleAsync();
        await ScreenshotAsync("worklist-agent");

        await row.GetByRole(AriaRole.Link, new() { Name = number }).ClickAsync();
        await _page.GetByLabel("Reply to the requester").FillAsync("Please try another USB-C port.");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Expect(_page.Locator("#sla-clock")).ToContainTextAsync("SLA met");
        await ScreenshotOnPhoneAsync("worklist-phone", "api/console", "agent-ann", "Ann Agent");
        _browserErrors.ShouldBeEmpty();
    }

    private async Task<string> SubmitAsUrsulaAsync(string subject)
    {
        using var http = new HttpClient { BaseAddress = _host.BaseAddress };
        using var submit = new HttpRequestMessage(HttpMethod.Post, new Uri("api/tickets", UriKind.Relative))
        {
            Content = JsonContent.Create(new { subject, description = "Since this morning", priority = "normal" }),
        };
        submit.Headers.Add("X-Dev-User", "user-ursula;Ursula User;ursula.user@example.edu");
        submit.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var submitted = await http.SendAsync(submit);
        submitted.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync());
        return (await submitted.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("ticketNumber").GetString()!;
    }

    [Fact]
    public async Task A_link_to_someone_elses_ticket_tells_the_requester_only_that_it_was_not_found()
    {
        var others = Builders.Ticket("SD-8801", createdAt: DateTimeOffset.UtcNow, requesterId: "agent-bob");
        (await _app.Get<Escalation.Core.Storage.TicketStore>().CreateAsync(others)).ShouldBeTrue();
        await SignInAsync("user-ursula", "Ursula User");

        await _page.GotoAsync("api/console#/ticket/SD-8801");

        await Expect(_page.Locator("#alert")).ToContainTextAsync("Ticket SD-8801 was not found.");
        await Expect(_page.Locator("#ticket-body")).Not.ToContainTextAsync(others.Subject);
        await Expect(_page.Locator("#timeline")).ToHaveCountAsync(0);
        await Expect(_page.Locator("#respond-form")).ToHaveCountAsync(0);
        await ScreenshotAsync("ticket-not-found-requester");
    }

    [Fact]
    public async Task A_requester_is_never_sent_to_a_page_she_may_not_use()
    {
        var refused = new List<string>();
        _page.Response += (_, response) =>
        {
            if (response.Status is 401 or 403)
            {
                refused.Add($"{response.Status} {response.Url}");
            }
        };
        await SignInAsync("user-ursula", "Ursula User");
        refused.Clear(); // the 401 before signing in is how the console learns to offer the sign-in

        await Expect(_page.Locator("#identity")).Not.ToContainTextAsync("null");
        await Expect(_page.GetByRole(AriaRole.Link, new() { Name = "Escalation queue" })).ToBeHiddenAsync();
        foreach (var page in new[] { "dashboard", "queue" })
        {
            await _page.GotoAsync($"api/console#/{page}");
            await Expect(_page.Locator("#page-denied")).ToBeVisibleAsync();
            await Expect(_page.Locator("#alert")).ToBeHiddenAsync();
        }

        await ScreenshotAsync("page-not-available");
        await _page.GetByRole(AriaRole.Link, new() { Name = "Back to the start page" }).ClickAsync();
        await Expect(_page.Locator("#page-mine")).ToBeVisibleAsync();
        await _page.Locator("#mine-list table").WaitForAsync();
        refused.ShouldBeEmpty("no request the caller's scopes do not allow");
        _browserErrors.ShouldBeEmpty();
    }

    /// <summary>axe-core on every page each person uses: no serious or critical violation of WCAG 2.x rules.</summary>
    [Fact]
    public async Task Every_console_page_passes_an_accessibility_check_as_the_person_who_uses_it()
    {
        var number = await SubmitAsUrsulaAsync("Keyboard missing keys");
        await _app.Get<ReportProjection>().CatchUpAsync(default);
        var pages = new (string Person, string Name, string Url, string Ready)[]
        {
            ("user-ursula", "Ursula User", "api/console#/mine", "#mine-list table"),
            ("user-ursula", "Ursula User", $"api/console#/ticket/{number}", "#requester-reply-form"),
            ("user-ursula", "Ursula User", "api/console#/dashboard", "#page-denied"),
            ("agent-ann", "Ann Agent", "api/console", "#worklist-list table"),
            ("agent-ann", "Ann Agent", $"api/console#/ticket/{number}", "#respond-form"),
            ("coord-carl", "Carl Coordinator", "api/console#/queue", "#queue-list"),
            ("cio", "Carmen Ortiz", "api/console#/dashboard", "#sla-table table"),
            ("user-ursula", "Ursula User", "api/portal", "form"),
        };

        var findings = new List<string>();
        foreach (var (person, name, url, ready) in pages)
        {
            await using var context = await NewContextAsync(1280, 900);
            var page = await context.NewPageAsync();
            await SignInAsync(person, name, page);
            await page.GotoAsync(url);
            await page.Locator(ready).First.WaitForAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var result = await page.RunAxe();
            findings.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{person} {url}: {v.Id} ({v.Impact}) {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}"));
            output.WriteLine($"{person} {url}: {result.Violations.Length} violations, {result.Passes.Length} rules passed");
        }

        findings.ShouldBeEmpty();
    }

    private async Task<CapturedMail> MailAsync(Func<CapturedMail, bool> which)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!_app.SendGrid.Mails.Any(which))
        {
            await Task.Delay(50, timeout.Token);
        }

        return _app.SendGrid.Mails.First(which);
    }

    [Fact]
    public async Task A_coordinator_acknowledges_an_escalation_and_completes_its_checklist_from_the_queue()
    {
        var number = await EscalatedTicketAsync();
        await SignInAsync("coord-carl", "Carl Coordinator");
        await Expect(_page.GetByRole(AriaRole.Link, new() { Name = "Escalation queue" })).ToBeVisibleAsync();

        // Carl follows the acknowledge link of his assignment e-mail: it lands on the escalation's acknowledge button.
        var assigned = await MailAsync(m => m.Subject.Contains("assigned to you", StringComparison.Ordinal));
        var link = new Uri(AcknowledgeLink().Match(assigned.Text).Groups[1].Value);
        link.AbsoluteUri.ShouldStartWith("http://127.0.0.1:7071/api/console#/queue/");
        await _page.GotoAsync(link.PathAndQuery.TrimStart('/') + link.Fragment);
        var card = _page.Locator($"article[data-ticket='{number}']");
        await Expect(card).ToContainTextAsync("Waiting for acknowledgement");
        await Expect(card.Locator(".progress-text")).ToHaveTextAsync(" 0 of 7 steps");
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = $"Acknowledge {number}" })).ToBeFocusedAsync();
        await ScreenshotAsync("queue-waiting");

        await _page.Keyboard.PressAsync("Enter");
        await Expect(_page.Locator("#status")).ToHaveTextAsync($"{number} E1 acknowledged.");
        await Expect(card).ToContainTextAsync("Acknowledged");

        string[] notes = ["Read the history", "She needs the thesis files by Friday", "", "A technician is on the way", "Please call her today", "", ""];
        for (var step = 1; step <= 7; step++)
        {
            if (notes[step - 1].Length > 0)
            {
                await card.Locator("form.step-form textarea").FillAsync(notes[step - 1]);
            }

            await card.GetByRole(AriaRole.Button, new() { Name = $"Complete step {step}" }).ClickAsync();
            await Expect(_page.Locator("#status")).ToHaveTextAsync($"{number} step {step} done.");
            await Expect(card.Locator(".progress-text")).ToHaveTextAsync($" {step} of 7 steps");
        }

        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Close E1" })).ToBeDisabledAsync();
        await card.GetByLabel("Estimated resolution").FillAsync(DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await card.GetByLabel("Message to the user").FillAsync("A new laptop is being imaged");
        await card.GetByRole(AriaRole.Button, new() { Name = "Send ETA" }).ClickAsync();
        await Expect(_page.Locator("#status")).ToHaveTextAsync($"ETA sent to the user of {number}.");
        await ScreenshotAsync("queue-checklist-complete");
        await ScreenshotOnPhoneAsync("queue-phone", "api/console#/queue", "coord-carl", "Carl Coordinator");

        await card.GetByRole(AriaRole.Button, new() { Name = "Close E1" }).ClickAsync();
        await Expect(_page.Locator("#status")).ToHaveTextAsync($"{number} E1 closed.");
        await Expect(_page.Locator("#queue-empty")).ToBeVisibleAsync();

        var escalation = (await _app.TicketAsync(number)).FindEscalation("E1")!;
        escalation.Status.ShouldBe(EscalationStatus.Closed);
        escalation.Checklist.ShouldAllBe(c => c.DoneBy == "coord-carl");
        escalation.Item(ChecklistStep.ContactedUser).Note.ShouldBe("She needs the thesis files by Friday");
        escalation.Etas.ShouldHaveSingleItem().Message.ShouldBe("A new laptop is being imaged");

        _browserErrors.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_manager_opens_the_dashboard_and_sees_the_compliance_chart_and_the_flagged_requester()
    {
        await SeedReportsAsync();
        await SignInAsync("cio", "Carmen Ortiz");
        await _page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();

        // The chart: a canvas Chart.js drew, one line per team.
        var canvas = _page.Locator("#sla-chart");
        await Expect(canvas).ToHaveAttributeAsync("data-rendered", "true");
        var lines = await _page.EvaluateAsync<string[]>("() => Chart.getChart('sla-chart').data.datasets.map(d => d.label)");
        lines.ShouldBe(["Network Operations", "Service Desk"], ignoreOrder: true);
        (await canvas.BoundingBoxAsync())!.Height.ShouldBeGreaterThan(100);
        await Expect(_page.Locator("#sla-table")).ToContainTextAsync("Service Desk");
        await Expect(_page.Locator("#risk-table")).ToContainTextAsync("SD-5006");

        var pat = _page.Locator("#req-table tr[data-requester='point-pat']");
        await Expect(pat).ToContainTextAsync("Flagged");
        await Expect(_page.Locator("#req-table tr[data-requester='prof-paul']")).Not.ToContainTextAsync("Flagged");
        await _page.Locator("#status").GetByText("Reports loaded.").WaitForAsync();
        await ScreenshotAsync("dashboard");

        await pat.GetByRole(AriaRole.Button, new() { Name = "Pat Point" }).ClickAsync();
        await Expect(_page.Locator("#req-drill")).ToContainTextAsync("Urgent again: the Dean asks");

        var download = await _page.RunAndWaitForDownloadAsync(() =>
            _page.GetByRole(AriaRole.Button, new() { Name = "Download requesters (CSV)" }).ClickAsync());
        download.SuggestedFilename.ShouldEndWith(".csv");
        (await File.ReadAllTextAsync((await download.PathAsync())!)).ShouldContain("point-pat");

        await ScreenshotOnPhoneAsync("dashboard-phone", "api/console#/dashboard", "cio", "Carmen Ortiz");
        _browserErrors.ShouldBeEmpty();
    }

    /// <summary>
    /// Tickets of the last three weeks in the store, projected into the read model: the Service Desk answers in time,
    /// Network Operations breaches once; Pat Point escalates three of the five tickets of her unit (flagged), Paul one.
    /// </summary>
    private async Task SeedReportsAsync()
    {
        var today = DateTimeOffset.UtcNow;
        var tickets = _app.Get<TicketStore>();
        async Task CreateAsync(string number, string teamId, string agentId, double daysAgo, double? respondedAfterHours, bool breached = false)
        {
            var ticket = Builders.Ticket(number, new Assignment(teamId, agentId), today.AddDays(-daysAgo));
            if (breached)
            {
                ticket.RecordSlaBreach(ticket.SlaDueAt);
            }

            if (respondedAfterHours is { } hours)
            {
                ticket.Respond($"r-{number}", agentId, "Looking into it", true, ticket.CreatedAt.AddHours(hours)).IsSuccess.ShouldBeTrue();
            }

            (await tickets.CreateAsync(ticket)).ShouldBeTrue();
        }

        await CreateAsync("SD-5001", "service-desk", "agent-ann", 20, 1);
        await CreateAsync("SD-5002", "network-team", "agent-bob", 19, 60, breached: true);
        await CreateAsync("SD-5003", "service-desk", "agent-ben", 13, 3);
        await CreateAsync("SD-5004", "network-team", "agent-bob", 12, 2);
        await CreateAsync("SD-5005", "service-desk", "agent-ann", 6, 5);
        await CreateAsync("SD-5006", "network-team", "agent-bob", 1.5, null);
        foreach (var (number, requesterId, name, justification) in new[]
        {
            ("SD-5003", "point-pat", "Pat Point", "Urgent again: the Dean asks"), ("SD-5005", "point-pat", "Pat Point", "Urgent again: the Dean asks"),
            ("SD-5006", "point-pat", "Pat Point", "The lab is down"), ("SD-5004", "prof-paul", "Prof. Paul Chen", "Grant deadline"),
        })
        {
            var at = today.AddHours(-2);
            (await tickets.UpdateAsync(number, t => EscalationChanges.Request(t,
                new EscalationRequest(requesterId, name, justification, EscalationChannel.Web, at), $"req-{number}-{requesterId}", "fp")))
                .IsSuccess.ShouldBeTrue();
        }

        (await _app.Get<ReportProjection>().CatchUpAsync(default)).ShouldBe(6, "every ticket projected");
    }

    [Fact]
    public async Task The_console_files_are_served_with_their_types_and_caching_and_unknown_files_are_a_404_problem()
    {
        using var http = new HttpClient { BaseAddress = _host.BaseAddress };

        using var page = await http.GetAsync(new Uri("api/console", UriKind.Relative));
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        page.Headers.CacheControl!.NoCache.ShouldBeTrue();
        page.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("script-src 'self'");
        using var chart = await http.GetAsync(new Uri("api/console/chart.umd.min.js", UriKind.Relative));
        chart.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        chart.Headers.CacheControl!.MaxAge.ShouldBe(TimeSpan.FromDays(1));
        (await chart.Content.ReadAsStringAsync()).ShouldContain("Chart.js v4");

        using var conditional = new HttpRequestMessage(HttpMethod.Get, new Uri("api/console/console.js", UriKind.Relative));
        using var first = await http.GetAsync(new Uri("api/console/console.js", UriKind.Relative));
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var unchanged = await http.SendAsync(conditional);
        unchanged.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotModified);

        foreach (var path in new[] { "api/console/..%2Fhost.json", "api/console/host.json", "api/console/nothing.js" })
        {
            using var missing = await http.GetAsync(new Uri(path, UriKind.Relative));
            missing.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound, path);
            missing.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json", path);
        }

        using var me = await http.GetAsync(new Uri("api/me", UriKind.Relative));
        me.StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
        (await me.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("developmentIdentity").GetBoolean().ShouldBeTrue();
        output.WriteLine(string.Join(Environment.NewLine, _host.Routes));
    }

    /// <summary>Ursula's ticket, escalated by her manager, with its coordinator assigned by the escalation's orchestration.</summary>
    private async Task<string> EscalatedTicketAsync()
    {
        using var http = new HttpClient { BaseAddress = _host.BaseAddress };
        using var submit = new HttpRequestMessage(HttpMethod.Post, new Uri("api/tickets", UriKind.Relative))
        {
            Content = JsonContent.Create(new { subject = "Laptop will not boot", description = "Black screen", priority = "high" }),
        };
        submit.Headers.Add("X-Dev-User", "user-ursula;Ursula User;ursula.user@example.edu");
        submit.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var submitted = await http.SendAsync(submit);
        submitted.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync());
        var number = (await submitted.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("ticketNumber").GetString()!;

        using var escalate = new HttpRequestMessage(HttpMethod.Post, new Uri($"api/tickets/{number}/escalations", UriKind.Relative))
        {
            Content = JsonContent.Create(new { justification = "Grant deadline tomorrow, she cannot work", slaReviewed = true }),
        };
        escalate.Headers.Add("X-Dev-User", "prof-paul;Prof. Paul Chen;paul.chen@example.edu;manager");
        using var escalated = await http.SendAsync(escalate);
        escalated.StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted, await escalated.Content.ReadAsStringAsync());
        await _app.WaitForTicketAsync(number, t => t.FindEscalation("E1")?.CoordinatorId is not null);
        return number;
    }

    private async Task<IBrowserContext> NewContextAsync(int width, int height)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _host.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(20_000);
        context.Page += (_, page) =>
        {
            page.Console += (_, message) =>
            {
                // Script errors and CSP violations; not the answers the page expects (401 before signing in).
                if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                {
                    _browserErrors.Add(message.Text);
                }
            };
            page.PageError += (_, error) => _browserErrors.Add(error);
        };
        return context;
    }

    private async Task SignInAsync(string personId, string name, IPage? page = null)
    {
        page ??= _page;
        await page.GotoAsync("api/console");
        var picker = page.GetByLabel("Sign in as (local development)");
        var value = await picker.Locator($"option[value^='{personId};']").GetAttributeAsync("value");
        await picker.SelectOptionAsync(value!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#signed-in")).ToHaveTextAsync($"Signed in as {name}");
    }

    private async Task SwitchToAsync(string personId, string name)
    {
        await _page.GotoAsync("api/console");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Switch person" }).ClickAsync();
        await SignInAsync(personId, name);
    }

    private async Task ScreenshotAsync(string name, IPage? page = null)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await (page ?? _page).ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }

    /// <summary>The same page at a phone's size (390 × 844), signed in as the same person.</summary>
    private async Task ScreenshotOnPhoneAsync(string name, string url, string personId, string personName)
    {
        await using var phone = await NewContextAsync(390, 844);
        var page = await phone.NewPageAsync();
        await SignInAsync(personId, personName, page);
        await page.GotoAsync(url);
        await Expect(page.Locator(".page:not([hidden]) h1")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await ScreenshotAsync(name, page);
    }

    [GeneratedRegex(@"Your ticket number is (SD-\d+)\.")]
    private static partial Regex TicketNumberText();

    [GeneratedRegex(@"acknowledge: +(\S+)")]
    private static partial Regex AcknowledgeLink();
}
