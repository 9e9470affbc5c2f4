using System.ComponentModel.DataAnnotations;

namespace Escalation.Core.Notifications;

/// <summary>Published to the Service Bus topic for other consumers when an escalation notice goes out.</summary>
public sealed record TicketEscalated(
    string TicketNumber,
    string NoticeId,
    string RecipientId,
    IReadOnlyList<string> Reasons,
    string TeamId,
    string? AgentId,
    string Priority,
    DateTimeOffset EscalatedAt);

public interface ITicketEventPublisher
{
    /// <summary>False when publishing is disabled (no Service Bus configured).</summary>
    bool IsEnabled { get; }

    /// <summary>Publishes the event; <paramref name="messageId"/> lets the broker drop a duplicate of a retried publish.</summary>
    Task PublishAsync(TicketEscalated ticketEvent, string messageId, CancellationToken cancellationToken = default);

    /// <summary>Publishes a manager escalation event; <paramref name="messageId"/> as above.</summary>
    Task PublishAsync(EscalationEvent escalationEvent, string messageId, CancellationToken cancellationToken = default);
}

/// <summary>Service Bus publishing (configuration section "ServiceBus"); disabled when no namespace is configured.</summary>
public sealed class ServiceBusOptions
{
    public const string SectionName = "ServiceBus";

    /// <summary>e.g. "sb-escalation.servicebus.windows.net"; used with the managed identity.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>Alternative to the namespace for environments without managed identity.</summary>
    public string? ConnectionString { get; set; }

    [Required]
    public string TopicName { get; set; } = "ticket-events";

    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(FullyQualifiedNamespace) || !string.IsNullOrWhiteSpace(ConnectionString);
}
