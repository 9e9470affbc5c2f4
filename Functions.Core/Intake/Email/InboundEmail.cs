namespace Escalation.Core.Intake.Email;

public sealed record EmailAddress(string Address, string? Name = null);

/// <summary>The headers the intake cares about, parsed from Inbound Parse's raw `headers` field.</summary>
public sealed record EmailHeaders(
    string? MessageId,
    IReadOnlyList<string> InReplyTo,
    IReadOnlyList<string> References,
    IReadOnlyDictionary<string, string> All)
{
    public static EmailHeaders Empty { get; } = new(null, [], [], new Dictionary<string, string>());

    public string? this[string name] => All.TryGetValue(name, out var value) ? value : null;
}

public sealed record InboundAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>An e-mail as SendGrid Inbound Parse delivered it; <see cref="SenderVerdict"/> from its SPF and DKIM results.</summary>
public sealed record InboundEmail(
    EmailAddress From,
    IReadOnlyList<EmailAddress> To,
    IReadOnlyList<EmailAddress> Cc,
    string Subject,
    string Text,
    string? Html,
    EmailHeaders Headers,
    double? SpamScore,
    IReadOnlyList<InboundAttachment> Attachments,
    SenderVerdict SenderVerdict);
