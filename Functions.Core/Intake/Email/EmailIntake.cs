using System.Globalization;
using Ardalis.Result;
using Escalation.Core.Notifications;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Microsoft.Extensions.Options;

namespace Escalation.Core.Intake.Email;

public enum EmailDisposition
{
    Created,
    Appended,
    Duplicate,

    /// <summary>An auto-reply, bounce or list mail: no ticket, no acknowledgement.</summary>
    Ignored,

    /// <summary>Spam score above the limit: kept for review, no ticket.</summary>
    Quarantined,
}

public sealed record EmailReceipt(EmailDisposition Disposition, string? TicketNumber = null, string? Reason = null);

/// <summary>
/// The e-mail channel on top of the shared intake: loop and spam protection, threading of replies (ticket token in
/// the subject, or In-Reply-To/References naming a message we sent or received), attachments to blob storage.
/// </summary>
public sealed class EmailIntake(
    IntakePipeline pipeline,
    IntakeKeyStore intakeKeys,
    IMessageArchive archive,
    IOptions<IntakeOptions> intakeOptions,
    IOptions<MailOptions> mailOptions,
    TimeProvider timeProvider)
{
    public async Task<Result<EmailReceipt>> ReceiveAsync(InboundEmail email, ITicketWorkflow workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (AutoReplyDetector.Reason(email, mailOptions.Value.FromAddress) is { } automatic)
        {
            return new EmailReceipt(EmailDisposition.Ignored, Reason: automatic);
        }

        var deliveryKey = email.Headers.MessageId ?? $"sha256:{Hash(email.From.Address, email.Subject, email.Headers["Date"], email.Text)}";
        var folder = Hash(deliveryKey);
        if (email.SpamScore > intakeOptions.Value.MaxSpamScore)
        {
            await archive.QuarantineAsync(folder, new QuarantinedEmail(email.From.Address, email.Subject, email.SpamScore,
                email.Headers.MessageId, timeProvider.GetUtcNow(), email.Text), cancellationToken);
            return new EmailReceipt(EmailDisposition.Quarantined,
                Reason: string.Create(CultureInfo.InvariantCulture, $"spam score {email.SpamScore} above {intakeOptions.Value.MaxSpamScore}"));
        }

        var (attachments, notes) = await StoreAttachmentsAsync(email.Attachments, folder, cancellationToken);
        var message = new IntakeMessage(Channel.Email, deliveryKey, new RequesterClaim(null, email.From.Name, email.From.Address),
            Truncate(string.IsNullOrWhiteSpace(email.Subject) ? "(no subject)" : email.Subject, IntakeLimits.SubjectMaxLength),
            Body(email, notes))
        {
            ReplyToTicket = await FindThreadAsync(email, cancellationToken),
            Attachments = attachments,
            AcknowledgeByEmail = true,
        };

        var receipt = await pipeline.SubmitAsync(message, workflow, cancellationToken);
        if (receipt.Status == ResultStatus.Conflict)
        {
            // A Message-ID is the sender's promise of uniqueness; a reuse with other content is not ours to fix, and a
            // non-2xx answer would only make SendGrid retry it for days. Logged by the pipeline, answered as ignored.
            return new EmailReceipt(EmailDisposition.Ignored, Reason: "Message-ID already used for a different message");
        }

        return receipt.Map(r => new EmailReceipt(r.Outcome switch
        {
            IntakeOutcome.Created => EmailDisposition.Created,
            IntakeOutcome.Appended => EmailDisposition.Appended,
            _ => EmailDisposition.Duplicate,
        }, r.TicketNumber));
    }

    /// <summary>The ticket a reply belongs to: a ticket token in the subject, or a Message-ID it answers that we sent or received.</summary>
    private async Task<string?> FindThreadAsync(InboundEmail email, CancellationToken cancellationToken)
    {
        if (TicketNumber.TryFind(email.Subject, out var fromSubject))
        {
            return fromSubject;
        }

        foreach (var id in email.Headers.InReplyTo.Concat(email.Headers.References.Reverse()).Distinct(StringComparer.Ordinal))
        {
            var owner = await intakeKeys.FindAsync(TicketMailer.MessageIdKey(id), cancellationToken)
                ?? await intakeKeys.FindAsync($"{Channel.Email}:{id}", cancellationToken);
            if (owner is not null)
            {
                return owner.TicketNumber;
            }
        }

        return null;
    }

    private async Task<(List<AttachmentInfo> Kept, List<string> Notes)> StoreAttachmentsAsync(
        IReadOnlyList<InboundAttachment> attachments, string folder, CancellationToken cancellationToken)
    {
        var kept = new List<AttachmentInfo>();
        var notes = new List<string>();
        var limit = intakeOptions.Value.MaxAttachmentBytes;
        for (var i = 0; i < attachments.Count; i++)
        {
            var attachment = attachments[i];
            if (attachment.Content.Length > limit)
            {
                var note = string.Create(CultureInfo.InvariantCulture,
                    $"Attachment '{attachment.FileName}' ({attachment.Content.Length} bytes) was not kept: the limit is {limit} bytes.");
                kept.Add(new AttachmentInfo(attachment.FileName, attachment.ContentType, attachment.Content.Length, null, note));
                notes.Add(note);
                continue;
            }

            var blobName = await archive.StoreAttachmentAsync(folder, i + 1, attachment, cancellationToken);
            kept.Add(new AttachmentInfo(attachment.FileName, attachment.ContentType, attachment.Content.Length, blobName));
        }

        return (kept, notes);
    }

    private static string Body(InboundEmail email, List<string> notes)
    {
        var text = string.IsNullOrWhiteSpace(email.Text) ? HtmlToText(email.Html) : email.Text.Trim();
        if (string.IsNullOrWhiteSpace(text))
        {
            text = "(no text)";
        }

        var suffix = notes.Count == 0 ? string.Empty : "\n\n" + string.Join("\n", notes.Select(n => $"[{n}]"));
        return Truncate(text, IntakeLimits.DescriptionMaxLength - suffix.Length) + suffix;
    }

    private static string HtmlToText(string? html) =>
        html is null ? string.Empty : System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]*>", " ",
            System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1))).Trim();

    private static string Truncate(string text, int max)
    {
        const string marker = " [truncated]";
        return text.Length <= max ? text : WebhookJson.Cut(text, max - marker.Length) + marker;
    }

    private static string Hash(params string?[] parts) => Hashing.Sha256Hex(parts)[..32];
}
