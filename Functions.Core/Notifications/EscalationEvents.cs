namespace Escalation.Core.Notifications;

public enum EscalationEventKind
{
    Requested,
    Acknowledged,
    Routed,
    Closed,
}

/// <summary>
/// Published to the Service Bus topic (subject EscalationRequested, EscalationAcknowledged, EscalationRouted or
/// EscalationClosed) as a manager escalation moves on.
/// </summary>
public sealed record EscalationEvent(
    EscalationEventKind Kind,
    string TicketNumber,
    string EscalationId,
    string? CoordinatorId,
    IReadOnlyList<string> RequesterIds,
    string TeamId,
    DateTimeOffset At,
    IReadOnlyList<string>? RoutedTo = null)
{
    public string Subject => $"Escalation{Kind}";
}
