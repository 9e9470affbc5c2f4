using Microsoft.Extensions.Logging;

namespace Escalation.Core;

/// <summary>Structured log messages of Functions.Core. Ticket numbers and ids only, never message bodies or addresses.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Error,
        Message = "Escalation notice {NoticeId} for ticket {TicketNumber} could not be sent after all retries: {Reason}")]
    public static partial void NoticeNotSent(ILogger logger, string noticeId, string ticketNumber, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Ticket {TicketNumber} opened from {Channel}")]
    public static partial void TicketOpened(ILogger logger, string ticketNumber, Tickets.Channel channel);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Duplicate delivery for ticket {TicketNumber} ignored")]
    public static partial void DuplicateIntake(ILogger logger, string ticketNumber);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Ticket {TicketNumber} breached its first-response window")]
    public static partial void SlaBreached(ILogger logger, string ticketNumber);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Escalation notice {NoticeId} for ticket {TicketNumber} e-mailed {LagSeconds:0.0} s after the deadline")]
    public static partial void NoticeEmailed(ILogger logger, string noticeId, string ticketNumber, double lagSeconds);

    [LoggerMessage(EventId = 1019, Level = LogLevel.Warning, Message = "Escalation notice {NoticeId} for ticket {TicketNumber} recorded, not e-mailed: the recipient has no e-mail address")]
    public static partial void NoticeWithoutAddress(ILogger logger, string noticeId, string ticketNumber);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Information, Message = "Escalation notice {NoticeId} for ticket {TicketNumber} went out before; not sent again")]
    public static partial void NoticeSentBefore(ILogger logger, string noticeId, string ticketNumber);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Warning, Message = "Ticket {TicketNumber} was {OverdueSeconds:0} s past its deadline without all its escalation notices; the sweep escalated it")]
    public static partial void OverdueEscalated(ILogger logger, string ticketNumber, double overdueSeconds);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Signal {Signal} for ticket {TicketNumber} found no running orchestration")]
    public static partial void SignalNotDelivered(ILogger logger, Workflow.TicketSignalKind signal, string ticketNumber);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning,
        Message = "A {Channel} delivery reused the key of ticket {TicketNumber} with different content; it was not added")]
    public static partial void DeliveryKeyReused(ILogger logger, Tickets.Channel channel, string ticketNumber);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning,
        Message = "The orchestration of ticket {TicketNumber} was {Status}; started again from the ticket document")]
    public static partial void OrchestrationRepaired(ILogger logger, string ticketNumber, string status);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Error,
        Message = "Mail {DeliveryId} for ticket {TicketNumber} was refused for good by the mail provider: {Reason}")]
    public static partial void MailRejected(ILogger logger, string deliveryId, string ticketNumber, string reason);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error,
        Message = "Escalating ticket {TicketNumber} failed after every retry ({Reason}); trying again later")]
    public static partial void EscalationPostponed(ILogger logger, string ticketNumber, string reason);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning,
        Message = "The orchestration of ticket {TicketNumber} could not be scheduled (attempt {Attempt}); trying again: {Reason}")]
    public static partial void OrchestrationStartRetried(ILogger logger, string ticketNumber, int attempt, string reason);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error,
        Message = "The orchestration of ticket {TicketNumber} was not scheduled ({Reason}); the sweep will start it")]
    public static partial void OrchestrationStartLeftToSweep(ILogger logger, string ticketNumber, string reason);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning,
        Message = "{Count} queued orchestration starts were not made before the process stopped; the sweep will start them")]
    public static partial void OrchestrationStartsLeftToSweep(ILogger logger, int count);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Warning,
        Message = "Escalation notice {NoticeId} for ticket {TicketNumber} did not go out with the breach ({Reason}); the orchestration sends it with retries")]
    public static partial void NoticeLeftToOrchestration(ILogger logger, string noticeId, string ticketNumber, string reason);

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning,
        Message = "Ticket {TicketNumber} received a signal of a kind this version does not know ({Kind}); it was counted and otherwise ignored")]
    public static partial void UnknownSignal(ILogger logger, string ticketNumber, string kind);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information,
        Message = "Manager escalation {EscalationId} of ticket {TicketNumber} requested via {Channel} (new: {Created})")]
    public static partial void EscalationRequested(ILogger logger, string ticketNumber, string escalationId, Tickets.EscalationChannel channel, bool created);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning,
        Message = "The coordinator orchestration of escalation {EscalationId} of ticket {TicketNumber} was {Status}; started again from the ticket document")]
    public static partial void EscalationOrchestrationRepaired(ILogger logger, string ticketNumber, string escalationId, string status);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Error,
        Message = "Escalation {EscalationId} of ticket {TicketNumber}: a step failed after every retry ({Reason}); trying again later")]
    public static partial void EscalationStepPostponed(ILogger logger, string ticketNumber, string escalationId, string reason);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information,
        Message = "Escalation {EscalationId} of ticket {TicketNumber} assigned to coordinator {CoordinatorId}")]
    public static partial void CoordinatorAssigned(ILogger logger, string ticketNumber, string escalationId, string coordinatorId);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information,
        Message = "Escalation outbox item {OutboxId} of ticket {TicketNumber} done")]
    public static partial void OutboxItemDone(ILogger logger, string outboxId, string ticketNumber);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Warning,
        Message = "Signal {Action} for escalation {EscalationId} of ticket {TicketNumber} found no coordinator orchestration to deliver to")]
    public static partial void EscalationSignalNotDelivered(ILogger logger, string action, string ticketNumber, string escalationId);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Reporting read model: {Count} ticket changes projected")]
    public static partial void ReportsProjected(ILogger logger, int count);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning,
        Message = "Reporting read model rebuilt from {Tickets} tickets into {Days} day documents")]
    public static partial void ReportsRebuilt(ILogger logger, int tickets, int days);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "SLA at-risk warning for ticket {TicketNumber} failed; retried on the next run")]
    public static partial void AtRiskWarningFailed(ILogger logger, string ticketNumber, Exception exception);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Weekly digest {Week} sent to {RecipientId}")]
    public static partial void DigestSent(ILogger logger, string week, string recipientId);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Weekly digest {Week} to {RecipientId} not sent; retried on a later run")]
    public static partial void DigestPostponed(ILogger logger, string week, string recipientId, Exception exception);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Error, Message = "Weekly digest {Week} to {RecipientId} was refused by the mail provider: {Reason}")]
    public static partial void DigestRejected(ILogger logger, string week, string recipientId, string reason);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "Weekly digest: no org directory is loaded, nothing sent")]
    public static partial void DigestWithoutDirectory(ILogger logger);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Information,
        Message = "Weekly digest run (week due: {Week}): {Sent} sent, {Postponed} postponed, {Skipped} not sendable")]
    public static partial void DigestRun(ILogger logger, string week, int sent, int postponed, int skipped);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Error,
        Message = "Message {OutgoingId} of ticket {TicketNumber} could not be sent after all retries: {Reason}")]
    public static partial void MessageNotSent(ILogger logger, string outgoingId, string ticketNumber, string reason);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Warning,
        Message = "The chat platform refused message {OutgoingId} of ticket {TicketNumber} ({Reason}); it goes by e-mail")]
    public static partial void ChatReplyRefused(ILogger logger, string outgoingId, string ticketNumber, string reason);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Information, Message = "Message {OutgoingId} of ticket {TicketNumber} delivered by {Route}")]
    public static partial void MessageDelivered(ILogger logger, string outgoingId, string ticketNumber, Tickets.DeliveryRoute route);

    [LoggerMessage(EventId = 1018, Level = LogLevel.Error, Message = "Message {OutgoingId} of ticket {TicketNumber} cannot be delivered: {Reason}")]
    public static partial void MessageUndeliverable(ILogger logger, string outgoingId, string ticketNumber, string reason);
}
