using Escalation.Core.Notifications;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Tests.Notifications;

/// <summary>
/// What sending one mail costs in Cosmos round trips: the ticket is read to claim the delivery and again to record it,
/// and the delivery's state is taken from the recording write, not read back afterwards.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class TicketMailerRoundTripTests(CosmosServerFixture cosmos)
{
    [Fact]
    public async Task A_delivery_is_read_twice_and_ends_with_the_write_that_records_it()
    {
        var calls = new CosmosCalls();
        await using var app = await TestApp.StartAsync(cosmos, cosmosCalls: calls);
        await app.Get<TicketStore>().CreateAsync(Builders.Ticket("SD-7201"));
        var mailer = app.Get<TicketMailer>();
        calls.Clear();

        var delivered = await SendAsync(mailer, "SD-7201.ack");

        delivered.EmailSentAt.ShouldNotBeNull();
        delivered.MessageId.ShouldBe(app.SendGrid.Mails.ShouldHaveSingleItem().MessageId);
        var sending = calls.All;
        sending.Count(c => c.StartsWith("GET tickets", StringComparison.Ordinal)).ShouldBe(2, string.Join(", ", sending));
        sending[^1].ShouldStartWith("PUT tickets", customMessage: string.Join(", ", sending));

        calls.Clear();
        var again = await SendAsync(mailer, "SD-7201.ack");

        again.ShouldBe(delivered, "a delivery that went out is reported as it was recorded");
        app.SendGrid.Mails.Count.ShouldBe(1);
        calls.All.Count(c => c.StartsWith("GET tickets", StringComparison.Ordinal)).ShouldBe(1, string.Join(", ", calls.All));
    }

    private static Task<NoticeDelivery> SendAsync(TicketMailer mailer, string deliveryId) =>
        mailer.SendOnceAsync("SD-7201", deliveryId, "user-ursula",
            (_, messageId) => new OutgoingMail([new MailRecipient("ursula.user@example.edu")], [], "Subject", "Text", messageId),
            (messageId, at) => new HistoryEntry(deliveryId, at, HistoryEntryType.Acknowledged, "system", "sent",
                new Dictionary<string, string>(StringComparer.Ordinal) { ["messageId"] = messageId ?? string.Empty }));
}
