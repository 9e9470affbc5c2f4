using System.Text.Json;
using Azure.Messaging.ServiceBus;

namespace Escalation.Core.Notifications;

public sealed class ServiceBusTicketEventPublisher(ServiceBusSender sender) : ITicketEventPublisher
{
    public bool IsEnabled => true;

    public async Task PublishAsync(TicketEscalated ticketEvent, string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticketEvent);
        var message = new ServiceBusMessage(JsonSerializer.SerializeToUtf8Bytes(ticketEvent, EscalationJson.Options))
        {
            MessageId = messageId,
            Subject = nameof(TicketEscalated),
            ContentType = "application/json",
            ApplicationProperties = { ["ticketNumber"] = ticketEvent.TicketNumber },
        };
        await sender.SendMessageAsync(message, cancellationToken);
    }

    public async Task PublishAsync(EscalationEvent escalationEvent, string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(escalationEvent);
        var message = new ServiceBusMessage(JsonSerializer.SerializeToUtf8Bytes(escalationEvent, EscalationJson.Options))
        {
            MessageId = messageId,
            Subject = escalationEvent.Subject,
            ContentType = "application/json",
            ApplicationProperties = { ["ticketNumber"] = escalationEvent.TicketNumber, ["escalationId"] = escalationEvent.EscalationId },
        };
        await sender.SendMessageAsync(message, cancellationToken);
    }
}

/// <summary>Used when no Service Bus namespace is configured (local development); health reports it as disabled.</summary>
public sealed class DisabledTicketEventPublisher : ITicketEventPublisher
{
    public bool IsEnabled => false;

    public Task PublishAsync(TicketEscalated ticketEvent, string messageId, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    public Task PublishAsync(EscalationEvent escalationEvent, string messageId, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;
}
