using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Escalation.Core.Notifications;

namespace Escalation.Tests.Notifications;

public class ServiceBusTicketEventPublisherTests
{
    [Fact]
    public async Task The_event_is_sent_as_JSON_with_the_notice_id_as_message_id_for_duplicate_detection()
    {
        var sender = new RecordingSender();
        var publisher = new ServiceBusTicketEventPublisher(sender);
        var escalated = new TicketEscalated("SD-1001", "SD-1001.sla.lead-desk", "lead-desk", ["lead of Service Desk"],
            "service-desk", "agent-ann", "Normal", new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));

        await publisher.PublishAsync(escalated, "SD-1001.sla.lead-desk");

        var message = sender.Sent.Single();
        message.MessageId.ShouldBe("SD-1001.sla.lead-desk");
        message.Subject.ShouldBe("TicketEscalated");
        message.ContentType.ShouldBe("application/json");
        message.ApplicationProperties["ticketNumber"].ShouldBe("SD-1001");
        using var body = JsonDocument.Parse(message.Body.ToString());
        body.RootElement.GetProperty("ticketNumber").GetString().ShouldBe("SD-1001");
        body.RootElement.GetProperty("recipientId").GetString().ShouldBe("lead-desk");
        body.RootElement.GetProperty("reasons")[0].GetString().ShouldBe("lead of Service Desk");
    }

    [Theory]
    [InlineData(EscalationEventKind.Requested, "EscalationRequested")]
    [InlineData(EscalationEventKind.Acknowledged, "EscalationAcknowledged")]
    [InlineData(EscalationEventKind.Routed, "EscalationRouted")]
    [InlineData(EscalationEventKind.Closed, "EscalationClosed")]
    public async Task Escalation_events_carry_their_kind_as_subject(EscalationEventKind kind, string subject)
    {
        var sender = new RecordingSender();
        var publisher = new ServiceBusTicketEventPublisher(sender);

        await publisher.PublishAsync(new EscalationEvent(kind, "SD-1001", "E1", "coord-carl", ["prof-paul"], "service-desk",
            new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero), ["dir-uss"]), "SD-1001.E1.x");

        var message = sender.Sent.Single();
        (message.Subject, message.MessageId).ShouldBe((subject, "SD-1001.E1.x"));
        message.ApplicationProperties["escalationId"].ShouldBe("E1");
        using var body = JsonDocument.Parse(message.Body.ToString());
        body.RootElement.GetProperty("coordinatorId").GetString().ShouldBe("coord-carl");
    }

    /// <summary>ServiceBusSender is designed for this: a protected constructor and virtual send methods.</summary>
    private sealed class RecordingSender : ServiceBusSender
    {
        public List<ServiceBusMessage> Sent { get; } = [];

        public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
        {
            Sent.Add(message);
            return Task.CompletedTask;
        }
    }
}
