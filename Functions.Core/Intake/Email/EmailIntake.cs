using System.Globalization;
using System.Text;
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

    /// <summary>An auto-reply, bounce or list mail, a reused Message-ID, or a post without a usable sender: no ticket, no acknowledgement.</summary>
    Ignored,

    /// <summary>Spam score above the limit (or not a finite number): kept for review, no ticket.</summary>
    Quarantined,

    /// <summary>A manager escalation request to the coordinators' address, opened or merged into the open one.</summary>
    Escalated,
}

public sealed record EmailReceipt(EmailDisposition Disposition, string? TicketNumber = null, string? Reason = null);

/// <summary>
/// The e-mail channel on top of the shared intake: loop and spam protection, threading of replies (ticket token in
/// the subject, or In-Reply-To/References naming a message we sent or received), attachments to blob storage, and
/// sender authentication (<see cref="SenderAuthentication"/>): only verified mail can be a first response, unverified
/// mail is flagged, and likely forged mail gets no acknowledgement.
/// </summary>
public sealed class EmailIntake(
    IntakePipeline pipeline,
    IntakeKeyStore intakeKeys,
    IMessageArchive archive,
    IOptions<IntakeOptions> intakeOptions,
    IOptions<MailOptions> mailOptions,
    TimeProvider timeProvider,
    Escalations.EmailEscalations escalations)
{
    /// <summary>
    /// Receives one Inbound Parse post. Only a body that is no Inbound Parse post at all is invalid (400); a post
    /// whose content we cannot use is answered as ignored, since any non-2xx answer makes SendGrid retry it for days.
    /// </summary>
    public async Task<Result<EmailReceipt>> ReceiveAsync(string? contentType, byte[] body, ITicketWorkflow workflow,
        CancellationToken cancellationToken = default)
    {
        var email = InboundEmailParser.Parse(contentType, body);
        if (email.IsSuccess)
        {
            return await ReceiveAsync(email.Value, workflow, cancellationToken);
        }

        return email.ValidationErrors.Any(e => e.Identifier == InboundEmailParser.BodyField)
            ? email.Map(_ => (EmailReceipt)null!)
            : new EmailReceipt(EmailDisposition.Ignored, Reason: string.Join(" ", email.ValidationErrors.Select(e => e.ErrorMessage)));
    }

    public async Task<Result<EmailReceipt>> ReceiveAsync(InboundEmail email, ITicketWorkflow workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (AutoReplyDetector.Reason(email, mailOptions.Value.FromAddress) is { } automatic)
        {
            return new EmailReceipt(EmailDisposition.Ignored, Reason: automatic);
        }

        var deliveryKey = email.Headers.MessageId ?? $"sha256:{Hash(email.From.Address, email.Subject, email.Headers["Date"], email.Text)}";
        var folder = Hash(deliveryKey);
        if (email.SpamScore is { } score && (!double.IsFinite(score) || score > intakeOptions.Value.MaxSpamScore))
        {
            // A score that is no finite number (NaN, Infinity, 1e309) cannot be trusted to be low: treated as above the limit.
            var finite = double.IsFinite(score);
            await archive.QuarantineAsync(folder, new QuarantinedEmail(email.From.Address, email.Subject, finite ? score : null,
                email.Headers.MessageId, timeProvider.GetUtcNow(), email.Text), cancellationToken);
            return new EmailReceipt(EmailDisposition.Quarantined, Reason: finite
                ? string.Create(CultureInfo.InvariantCulture, $"spam score {score} above {intakeOptions.Value.MaxSpamScore}")
                : "spam score is not a finite number");
        }

        if (escalations.IsFor(email))
        {
            return await escalations.ReceiveAsync(email, deliveryKey, workflow, cancellationToken);
        }

        var (attachments, notes) = await StoreAttachmentsAsync(email.Attachments, folder, cancellationToken);
        var message = new IntakeMessage(Channel.Email, deliveryKey, new RequesterClaim(null, email.From.Name, email.From.Address),
            Truncate(string.IsNullOrWhiteSpace(email.Subject) ? "(no subject)" : email.Subject, IntakeLimits.SubjectMaxLength),
            Body(email, notes))
        {
            ReplyToTicket = await FindThreadAsync(email, cancellationToken),
            Attachments = attachments,

            // No acknowledgement to a likely forged sender: it would go to whoever the forger named (backscatter).
            AcknowledgeByEmail = email.SenderVerdict != SenderVerdict.Forged,
            SenderVerified = email.SenderVerdict == SenderVerdict.Verified,
            Flags = email.SenderVerdict == SenderVerdict.Verified ? [] : [TicketFlags.UnverifiedSender],
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

    /// <summary>
    /// Each tag (a '&lt;' up to the next '&gt;') becomes a space, then entities are decoded. One linear pass: a '&lt;'
    /// that no '&gt;' closes is text, so hostile input such as 600,000 unclosed '&lt;' costs no more than its length.
    /// </summary>
    private static string HtmlToText(string? html)
    {
        if (html is null)
        {
            return string.Empty;
        }

        var text = new StringBuilder(html.Length);
        var at = 0;
        while (at < html.Length)
        {
            var open = html.IndexOf('<', at);
            var close = open < 0 ? -1 : html.IndexOf('>', open + 1);
            if (close < 0)
            {
                // No tag closes after here (and the search never runs again): the rest is text.
                text.Append(html, at, html.Length - at);
                break;
            }

            text.Append(html, at, open - at).Append(' ');
            at = close + 1;
        }

        return System.Net.WebUtility.HtmlDecode(text.ToString()).Trim();
    }

    private static string Truncate(string text, int max)
    {
        const string marker = " [truncated]";
        return text.Length <= max ? text : WebhookJson.Cut(text, max - marker.Length) + marker;
    }

    private static string Hash(params string?[] parts) => Hashing.Sha256Hex(parts)[..32];
}
