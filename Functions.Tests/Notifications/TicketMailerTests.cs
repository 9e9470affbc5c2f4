using System.Text.RegularExpressions;
using Escalation.Core.Notifications;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Tests.Notifications;

/// <summary>
/// Sending a mail once per delivery: outgoing Message-IDs are unguessable, yet a retried send of the same delivery
/// reuses its id; and what a delivery costs in Cosmos round trips (its state comes from the write that records it).
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed partial class TicketMailerTests(CosmosServerFixture cosmos)
{
    [Fact]
    public async Task A_retried_delivery_reuses_its_random_Message_ID_and_another_delivery_gets_a_different_one()
    {
        await using var app = await TestApp.StartAsync(cosmos);
        await app.Get<TicketStore>().CreateAsync(Builders.Ticket("SD-7101"));
        var sender = new FlakyMailSender(failures: 1);
        var mailer = ActivatorUtilities.CreateInstance<TicketMailer>(app.Services, (IMailSender)sender);

        await Should.ThrowAsync<MailNotSentException>(() => SendAsync(mailer, "SD-7101", "SD-7101.ack"));
        var delivered = await SendAsync(mailer, "SD-7101", "SD-7101.ack");
        await SendAsync(mailer, "SD-7101", "SD-7101.sla.dir-uss");

        sender.Attempts.Count.ShouldBe(3);
        sender.Attempts[0].ShouldBe(sender.Attempts[1], "the retry of a delivery carries the id of its first attempt");
        delivered.MessageId.ShouldBe(sender.Attempts[1]);
        sender.Attempts[0].ShouldMatch(@"^<SD-7101\.ack\.[0-9a-f]{32}@escalation\.example\.edu>$");
        sender.Attempts[2].ShouldMatch(@"^<SD-7101\.sla\.dir-uss\.[0-9a-f]{32}@escalation\.example\.edu>$");
        Random(sender.Attempts[0]).ShouldNotBe(Random(sender.Attempts[2]));
    }

    [Fact]
    public async Task A_delivery_is_read_twice_and_ends_with_the_write_that_records_it()
    {
        var calls = new CosmosCalls();
        await using var app = await TestApp.StartAsync(cosmos, cosmosCalls: calls);
        await app.Get<TicketStore>().CreateAsync(Builders.Ticket("SD-7201"));
        var mailer = app.Get<TicketMailer>();
        calls.Clear();

        var delivered = await SendAsync(mailer, "SD-7201", "SD-7201.ack");

        delivered.EmailSentAt.ShouldNotBeNull();
        delivered.MessageId.ShouldBe(app.SendGrid.Mails.ShouldHaveSingleItem().MessageId);
        var sending = calls.All;
        sending.Count(c => c.StartsWith("GET tickets", StringComparison.Ordinal)).ShouldBe(2, string.Join(", ", sending));
        sending[^1].ShouldStartWith("PUT tickets", customMessage: string.Join(", ", sending));

        calls.Clear();
        var again = await SendAsync(mailer, "SD-7201", "SD-7201.ack");

        again.ShouldBe(delivered, "a delivery that went out is reported as it was recorded");
        app.SendGrid.Mails.Count.ShouldBe(1);
        calls.All.Count(c => c.StartsWith("GET tickets", StringComparison.Ordinal)).ShouldBe(1, string.Join(", ", calls.All));
    }

    /// <summary>Sends an acknowledgement-like mail to Ursula under <paramref name="deliveryId"/>.</summary>
    private static Task<NoticeDelivery> SendAsync(TicketMailer mailer, string ticketNumber, string deliveryId) =>
        mailer.SendOnceAsync(ticketNumber, deliveryId, "user-ursula",
            (_, messageId) => new OutgoingMail([new MailRecipient("ursula.user@example.edu")], [], "s", "t", messageId),
            (messageId, at) => new HistoryEntry(deliveryId, at, HistoryEntryType.Acknowledged, "system", "sent",
                new Dictionary<string, string>(StringComparer.Ordinal) { ["messageId"] = messageId ?? string.Empty }));

    private static string Random(string messageId) => RandomPart().Match(messageId).Value;

    [GeneratedRegex("[0-9a-f]{32}")]
    private static partial Regex RandomPart();

    private sealed class FlakyMailSender(int failures) : IMailSender
    {
        private int _failuresLeft = failures;

        public List<string> Attempts { get; } = [];

        public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
        {
            Attempts.Add(mail.MessageId);
            return _failuresLeft-- > 0 ? Task.FromException(new MailNotSentException("simulated outage")) : Task.CompletedTask;
        }

        public Task<bool?> WasAcceptedAsync(string messageId, CancellationToken cancellationToken = default) => Task.FromResult<bool?>(null);
    }
}
