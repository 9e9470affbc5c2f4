namespace Escalation.Core.Workflow;

public enum TicketSignalKind
{
    /// <summary>The assigned team or agent responded for the first time: the SLA clock stops.</summary>
    FirstResponse,

    /// <summary>The ticket moved to another team or agent; escalation recipients are taken from the ticket when needed.</summary>
    Reassigned,

    Resolved,

    /// <summary>A manager escalation was requested (or a request merged into it): <see cref="TicketSignal.EscalationId"/> names it.</summary>
    EscalationRequested,

    /// <summary>The coordinator closed the escalation <see cref="TicketSignal.EscalationId"/>.</summary>
    EscalationClosed,
}

/// <summary>
/// Everything that happens to a ticket reaches its orchestration as this one external event, so the orchestration
/// has a single waiter and never loses an event between two waits. New kinds (such as a manager's escalation request)
/// are new values of <see cref="TicketSignalKind"/>, and a kind's payload rides along (the escalation's id).
/// </summary>
public sealed record TicketSignal(TicketSignalKind Kind, string Actor, DateTimeOffset At, string? EscalationId = null);
