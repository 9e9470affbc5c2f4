using System.Net;
using Escalation.Core.Identity;
using Escalation.Core.Intake;
using Escalation.Core.Notifications;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Escalation.Tests.Support;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Escalation.Tests.Workflow;

/// <summary>
/// Provider and store outages, injected at the boundaries (the SendGrid stand-in, a Cosmos request handler), on a real
/// Durable Task engine: afterwards every acknowledgement and notice has gone out exactly once, the ticket escalated
/// once, and its orchestration is still running.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class OutageTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);
    private readonly StoreFaults _storeFaults = new();
    private TestApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await TestApp.StartAsync(cosmos, new Dictionary<string, string?> { ["Sla:DefaultWindow"] = Window.ToString() },
            withDurable: true, storeFaults: _storeFaults);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData(500)]
    [InlineData(429)]
    public async Task After_a_SendGrid_outage_every_mail_goes_out_exactly_once(int status)
    {
        _app.SendGrid.FailNext(3, status, status == 429 ? TimeSpan.FromSeconds(1) : null);

        var number = await SubmitByEmailAsync();

        var ticket = await _app.WaitForTicketAsync(number,
            t => t.History.Count(h => h.Type == HistoryEntryType.NoticeSent) == 2 && t.History.Exists(h => h.Type == HistoryEntryType.Acknowledged),
            TimeSpan.FromSeconds(90));
        await Task.Delay(TimeSpan.FromSeconds(2)); // a duplicate would arrive now
        _app.SendGrid.Attempts.ShouldBeGreaterThan(_app.SendGrid.Mails.Count, "the outage was hit");
        _app.SendGrid.Mails.Select(m => m.To.Single())
            .ShouldBe(["ursula.user@example.edu", "dana.reyes@example.edu", "lee.park@example.edu"], ignoreOrder: true);
        ticket.History.Count(h => h.Type == HistoryEntryType.SlaBreached).ShouldBe(1);
        (await InstanceAsync(number)).RuntimeStatus.ShouldBe(OrchestrationRuntimeStatus.Running);
    }

    [Fact]
    public async Task An_acknowledgement_stuck_in_a_mail_outage_does_not_hold_up_the_escalation()
    {
        // The acknowledgement is retried through the outage; the SLA breach must still be recorded on time.
        _app.SendGrid.FailNext(1_000, 503);

        var number = await SubmitByEmailAsync();

        var ticket = await _app.WaitForTicketAsync(number, t => t.EscalatedAt is not null, TimeSpan.FromSeconds(30));
        (ticket.EscalatedAt!.Value - ticket.SlaDueAt).ShouldBeLessThan(TimeSpan.FromSeconds(5));
        ticket.History.ShouldNotContain(h => h.Type == HistoryEntryType.Acknowledged);
        (await InstanceAsync(number)).RuntimeStatus.ShouldBe(OrchestrationRuntimeStatus.Running);
    }

    [Fact]
    public async Task An_address_refused_for_good_is_recorded_and_the_other_notices_go_on()
    {
        _app.SendGrid.Refuse("lee.park@example.edu");

        var number = await SubmitAsync();

        var ticket = await _app.WaitForTicketAsync(number,
            t => t.History.Exists(h => h.Type == HistoryEntryType.NoticeSent) && t.History.Exists(h => h.Type == HistoryEntryType.DeliveryFailed),
            TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2));
        _app.SendGrid.Mails.Select(m => m.To.Single()).ShouldBe(["dana.reyes@example.edu"]);
        ticket = await _app.TicketAsync(number);
        ticket.History.Single(h => h.Type == HistoryEntryType.DeliveryFailed).Summary.ShouldContain("lee.park@example.edu");
        ticket.Notices.Single(n => n.RecipientId == "lead-desk").RejectedAt.ShouldNotBeNull();
        _app.SendGrid.Attempts.ShouldBe(2, "a refused mail is not retried");
        (await InstanceAsync(number)).RuntimeStatus.ShouldBe(OrchestrationRuntimeStatus.Running);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task After_a_store_outage_the_ticket_escalates_once_with_one_notice_each(HttpStatusCode status)
    {
        var number = await SubmitAsync();
        _storeFaults.FailNext(3, status, StoreFaults.TicketWrite);

        var ticket = await _app.WaitForTicketAsync(number, t => t.History.Count(h => h.Type == HistoryEntryType.NoticeSent) == 2,
            TimeSpan.FromSeconds(90));
        await Task.Delay(TimeSpan.FromSeconds(2));

        _storeFaults.Injected.ShouldBe(3);
        _app.SendGrid.Mails.Select(m => m.To.Single()).ShouldBe(["dana.reyes@example.edu", "lee.park@example.edu"], ignoreOrder: true);
        ticket.History.Count(h => h.Type == HistoryEntryType.SlaBreached).ShouldBe(1);
        (await InstanceAsync(number)).RuntimeStatus.ShouldBe(OrchestrationRuntimeStatus.Running);
    }

    [Fact]
    public async Task A_ticket_stored_without_an_orchestration_is_found_by_the_sweep_and_escalates()
    {
        // As after a crash between persisting a web ticket and starting its orchestration.
        var openedAt = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(2);
        var ticket = Builders.Ticket(number: "SD-7001", createdAt: openedAt, window: TimeSpan.FromMinutes(2) + Window);
        (await _app.Get<TicketStore>().CreateAsync(ticket)).ShouldBeTrue();

        (await _app.Get<OrchestrationSweep>().RepairAsync(_app.Workflow)).ShouldBe(1);
        (await _app.Get<OrchestrationSweep>().RepairAsync(_app.Workflow)).ShouldBe(0, "a running orchestration is left alone");

        await _app.WaitForTicketAsync(ticket.Number, t => t.History.Count(h => h.Type == HistoryEntryType.NoticeSent) == 2, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_signal_to_a_failed_orchestration_starts_it_again_from_the_ticket()
    {
        var number = await SubmitAsync();
        var client = _app.Durable!.Client;
        await client.WaitForInstanceStartAsync(TicketWorkflow.InstanceId(number), new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        await client.TerminateInstanceAsync(TicketWorkflow.InstanceId(number));
        await client.WaitForInstanceCompletionAsync(TicketWorkflow.InstanceId(number), new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

        var ann = new Caller("agent-ann", "Ann Agent", "ann.agent@example.edu", new HashSet<string> { Roles.Agent });
        (await _app.Get<TicketActions>().RespondAsync(new RespondCommand(number, ann, "On it", new ActionKey("r1")), _app.Workflow)).IsSuccess.ShouldBeTrue();

        (await InstanceAsync(number)).RuntimeStatus.ShouldBeOneOf(OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running);
        await Task.Delay(Window + TimeSpan.FromSeconds(2));
        _app.SendGrid.Mails.ShouldHaveSingleItem("the reply to the requester, and no notice: the restarted orchestration knows the ticket was answered")
            .To.ShouldBe(["ursula.user@example.edu"]);
        (await InstanceAsync(number)).RuntimeStatus.ShouldBe(OrchestrationRuntimeStatus.Running);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_send_interrupted_after_or_before_the_provider_took_the_mail_ends_with_exactly_one_mail(bool providerTookIt)
    {
        var number = await SubmitAsync(window: TimeSpan.FromHours(1));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var realSender = _app.Get<IMailSender>();
        var mailer = ActivatorUtilities.CreateInstance<TicketMailer>(_app.Services, new InterruptedOnce(realSender, providerTookIt), time);
        Task<NoticeDelivery> SendAsync() => mailer.SendOnceAsync(number, $"{number}.sla.dir-uss", "dir-uss",
            (_, messageId) => new OutgoingMail([new MailRecipient("dana.reyes@example.edu")], [], $"[{number}] Escalation", "text", messageId),
            (messageId, at) => new HistoryEntry($"{number}.sla.dir-uss", at, HistoryEntryType.NoticeSent, "system", $"sent {messageId}"));

        await Should.ThrowAsync<IOException>(SendAsync);
        await Should.ThrowAsync<InvalidOperationException>(SendAsync); // the claim is kept: no second copy at once
        time.Advance(TimeSpan.FromMinutes(3));
        var delivery = await SendAsync();

        delivery.EmailSentAt.ShouldNotBeNull();
        _app.SendGrid.Mails.Count(m => m.To[0] == "dana.reyes@example.edu").ShouldBe(1);
        (await _app.TicketAsync(number)).History.Count(h => h.Type == HistoryEntryType.NoticeSent).ShouldBe(1);
    }

    private async Task<string> SubmitAsync(TimeSpan? window = null)
    {
        var message = new IntakeMessage(Channel.Web, Guid.NewGuid().ToString(), new RequesterClaim("user-ursula", "Ursula User"),
            "Laptop will not boot", "Details of the problem.");
        var receipt = await _app.Get<IntakePipeline>().SubmitAsync(message, window is null ? _app.Workflow : new NoWorkflow());
        receipt.IsSuccess.ShouldBeTrue(string.Join("; ", receipt.Errors));
        return receipt.Value.TicketNumber;
    }

    private async Task<string> SubmitByEmailAsync()
    {
        var message = new IntakeMessage(Channel.Email, $"<{Guid.NewGuid()}@mail.example.edu>",
            new RequesterClaim(null, "Ursula User", "ursula.user@example.edu"), "Laptop will not boot", "Details of the problem.")
        {
            AcknowledgeByEmail = true,
        };
        var receipt = await _app.Get<IntakePipeline>().SubmitAsync(message, _app.Workflow);
        receipt.IsSuccess.ShouldBeTrue(string.Join("; ", receipt.Errors));
        return receipt.Value.TicketNumber;
    }

    private async Task<OrchestrationMetadata> InstanceAsync(string number) =>
        (await _app.Durable!.Client.GetInstanceAsync(TicketWorkflow.InstanceId(number)))!;

    /// <summary>The first send is cut off, as by a crash or a timeout: after the provider took the mail, or before.</summary>
    private sealed class InterruptedOnce(IMailSender inner, bool afterProviderTookIt) : IMailSender
    {
        private int _calls;

        public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                if (afterProviderTookIt)
                {
                    await inner.SendAsync(mail, cancellationToken);
                }

                throw new IOException("connection reset");
            }

            await inner.SendAsync(mail, cancellationToken);
        }

        public Task<bool?> WasAcceptedAsync(string messageId, CancellationToken cancellationToken = default) =>
            inner.WasAcceptedAsync(messageId, cancellationToken);
    }

    /// <summary>Stores the ticket without starting an orchestration, for tests that drive the activities themselves.</summary>
    private sealed class NoWorkflow : ITicketWorkflow
    {
        public Task<bool> EnsureStartedAsync(TicketWorkflowState initialState, CancellationToken cancellationToken = default) => Task.FromResult(false);

        public Task<bool> SignalAsync(string ticketNumber, TicketSignal signal, CancellationToken cancellationToken = default) => Task.FromResult(false);

        public Task DeliverAsync(string ticketNumber, IEnumerable<string> outgoingIds, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
