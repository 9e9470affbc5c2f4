using System.Text.RegularExpressions;
using Escalation.Core.Notifications;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Tests.Notifications;

/// <summary>Outgoing Message-IDs are unguessable, yet a retried send of the same delivery reuses its id.</summary>
[Collection(CosmosCollection.Name)]
public sealed partial class MessageIdTests(CosmosServerFixture cosmos)
{
    [Fact]
    public async Task A_retried_delivery_reuses_its_random_Message_ID_and_another_delivery_gets_a_different_one()
    {
        await using var app = await TestApp.StartAsync(cosmos);
        await app.Get<TicketStore>().CreateAsync(Builders.Ticket("SD-7101"));
        var sender = new FlakyMailSender(failures: 1);
        var mailer = ActivatorUtilities.CreateInstance<TicketMailer>(app.Services, (IMailSender)sender);

        Task<NoticeDelivery> SendAsync(string deliveryId) => mailer.SendOnceAsync("SD-7101", deliveryId, "user-ursula",
            (_, messageId) => new OutgoingMail([new MailRecipient("ursula.user@example.edu")], [], "s", "t", messageId),
            (messageId, at) => new HistoryEntry(deliveryId, at, HistoryEntryType.Acknowledged, "system", "sent",
                new Dictionary<string, string>(StringComparer.Ordinal) { ["messageId"] = messageId ?? string.Empty }));

        await Should.ThrowAsync<MailNotSentException>(() => SendAsync("SD-7101.ack"));
        var delivered = await SendAsync("SD-7101.ack");
        await SendAsync("SD-7101.sla.dir-uss");

        sender.Attempts.Count.ShouldBe(3);
        sender.Attempts[0].ShouldBe(sender.Attempts[1], "the retry of a delivery carries the id of its first attempt");
        delivered.MessageId.ShouldBe(sender.Attempts[1]);
        sender.Attempts[0].ShouldMatch(@"^<SD-7101\.ack\.[0-9a-f]{32}@escalation\.example\.edu>$");
        sender.Attempts[2].ShouldMatch(@"^<SD-7101\.sla\.dir-uss\.[0-9a-f]{32}@escalation\.example\.edu>$");
        Random(sender.Attempts[0]).ShouldNotBe(Random(sender.Attempts[2]));
    }

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
