using Escalation.Core.Tickets;

namespace Escalation.Core.Intake;

/// <summary>
/// A request for help, normalised from any channel. <see cref="DeliveryKey"/> identifies the delivery (channel message
/// id, or the client's idempotency key): the same key never opens a second ticket.
/// </summary>
public sealed record IntakeMessage(
    Channel Channel,
    string DeliveryKey,
    RequesterClaim Requester,
    string Subject,
    string Description,
    string? Category = null,
    Priority Priority = Priority.Normal);

/// <summary>What the channel says about the requester; matched against the directory at intake.</summary>
public sealed record RequesterClaim(string? PersonId, string? DisplayName, string? Email = null, string? Phone = null);

/// <summary>The ticket a message opened or, for a re-delivery, the ticket it opened the first time.</summary>
public sealed record IntakeReceipt(string TicketNumber, bool Created);

public static class IntakeLimits
{
    public const int SubjectMaxLength = 200;
    public const int DescriptionMaxLength = 20_000;
    public const int CategoryMaxLength = 100;
    public const int DeliveryKeyMaxLength = 200;
}
