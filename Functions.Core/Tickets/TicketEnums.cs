namespace Escalation.Core.Tickets;

/// <summary>How a ticket reached the service desk.</summary>
public enum Channel
{
    Web,
    Email,
    Chat,
    Voicemail,
}

public enum Priority
{
    Low,
    Normal,
    High,
    Critical,
}

public enum TicketStatus
{
    /// <summary>Waiting for the first response of the assigned team or agent.</summary>
    Open,

    /// <summary>The assigned team or agent has responded.</summary>
    InProgress,

    /// <summary>The first-response window passed without a response; escalation notices went out.</summary>
    Escalated,

    Resolved,
}
