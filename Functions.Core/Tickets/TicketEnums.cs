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

/// <summary>Reasons for a person to look at a ticket.</summary>
public static class TicketFlags
{
    public const string UnknownRequester = "unknown-requester";

    /// <summary>An e-mail whose From address neither SPF nor DKIM proves (see SenderAuthentication).</summary>
    public const string UnverifiedSender = "unverified-sender";
    public const string LowConfidenceTranscript = "low-confidence-transcript";
    public const string EmptyTranscript = "empty-transcript";
}
