using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Ardalis.Result;
using Escalation.Core.Identity;
using Escalation.Core.Intake.Email;
using Escalation.Core.Notifications;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Core.Escalations;

/// <summary>
/// Manager escalation requests by e-mail to the coordinators' address (<see cref="EscalationOptions.CoordinatorsAddress"/>).
/// The sender must be authenticated (SPF or DKIM, <see cref="SenderAuthentication"/>) and is the requester; the
/// ticket number comes from the subject or the body, the body is the justification, and a line "SLA reviewed: yes"
/// confirms the SLA review. The same rules as on the web apply; a refusal is answered by e-mail, once per message.
/// </summary>
public sealed partial class EmailEscalations(
    EscalationRequests requests,
    DirectoryStore directory,
    IntakeKeyStore intakeKeys,
    IMailSender mailSender,
    IOptions<EscalationOptions> options,
    IOptions<MailOptions> mailOptions,
    ILogger<EmailEscalations> logger)
{
    public bool IsFor(InboundEmail email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var address = options.Value.CoordinatorsAddress;
        return !string.IsNullOrWhiteSpace(address)
            && email.To.Concat(email.Cc).Any(a => string.Equals(a.Address, address.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The receipt, or Unavailable (answered 503, so SendGrid posts the message again later).</summary>
    public async Task<Result<EmailReceipt>> ReceiveAsync(InboundEmail email, string deliveryKey, ITicketWorkflow workflow,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (email.SenderVerdict != SenderVerdict.Verified)
        {
            // An escalation speaks for a manager: unauthenticated mail is not one, and answering it would be backscatter.
            return new EmailReceipt(EmailDisposition.Ignored, Reason: "escalation request from an unauthenticated sender");
        }

        var current = await directory.GetCurrentAsync(cancellationToken);
        var sender = current.IsSuccess ? current.Value.FindPersonByEmail(email.From.Address) : null;
        var caller = new Caller(sender?.Id ?? email.From.Address, sender?.Name ?? email.From.Name ?? email.From.Address, email.From.Address,
            new HashSet<string>());
        var ticketNumber = TicketNumber.TryFind(email.Subject, out var inSubject) ? inSubject
            : TicketNumber.TryFind(email.Text, out var inBody) ? inBody : null;
        var command = new EscalationRequestCommand(ticketNumber, caller, Justification(email.Text), SlaReviewedLine().IsMatch(email.Text),
            EscalationChannel.Email, new ActionKey(Hashing.Sha256Hex(deliveryKey)[..64]), RequesterId: caller.Id);

        var result = await requests.RequestAsync(command, workflow, cancellationToken);
        if (result.IsSuccess)
        {
            return new EmailReceipt(EmailDisposition.Escalated, result.Value.TicketNumber);
        }

        if (result.Status == ResultStatus.Unavailable)
        {
            return Result.Unavailable([.. result.Errors]);
        }

        var why = result.Status == ResultStatus.Invalid
            ? string.Join(" ", result.ValidationErrors.Select(e => e.ErrorMessage))
                + " By e-mail, the justification is the message text and a line \"SLA reviewed: yes\" confirms the review."
            : string.Join(" ", result.Errors);
        if (!await ReplyOnceAsync(email, deliveryKey, why, cancellationToken))
        {
            return Result.Unavailable("The reply to the requester could not be sent yet.");
        }

        return new EmailReceipt(EmailDisposition.Ignored, ticketNumber, $"escalation not accepted: {why}");
    }

    /// <summary>
    /// Tells the sender why nothing was escalated, once per message: the reply is claimed under the message's delivery
    /// key first; if the provider does not take it now, the claim is released and false returned (answered 503, so
    /// SendGrid posts the message again later).
    /// </summary>
    private async Task<bool> ReplyOnceAsync(InboundEmail email, string deliveryKey, string why, CancellationToken cancellationToken)
    {
        var key = $"EscalationReply:{deliveryKey}";
        var attempt = Guid.NewGuid().ToString("N");
        if ((await intakeKeys.ClaimAsync(key, "-", attempt, cancellationToken)).Fingerprint != attempt)
        {
            return true; // answered before
        }

        var subject = $"Re: {email.Subject}";
        var text = $"""
            Hello {email.From.Name ?? email.From.Address},

            Your escalation request was not accepted: {why}

            IT Service Desk
            """;
        var messageId = $"<escalation-reply.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}@{mailOptions.Value.MessageIdDomain}>";
        try
        {
            await mailSender.SendAsync(new OutgoingMail([new MailRecipient(email.From.Address, HeaderText.NormaliseOptional(email.From.Name, 200))], [],
                HeaderText.Normalise(subject), text, messageId), cancellationToken);
        }
        catch (MailNotSentException)
        {
            await intakeKeys.ReleaseAsync(key, CancellationToken.None);
            return false;
        }
        catch (MailRejectedException e)
        {
            Log.ReplyRefused(logger, e.Message);
        }

        return true;
    }

    private static string Justification(string text)
    {
        var trimmed = SlaReviewedLine().Replace(text, string.Empty).Trim();
        return trimmed.Length <= EscalationRequests.JustificationMaxLength ? trimmed : trimmed[..EscalationRequests.JustificationMaxLength];
    }

    [GeneratedRegex(@"^\s*SLA\s+reviewed\s*:\s*(yes|true)\s*$", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SlaReviewedLine();

    private static partial class Log
    {
        [LoggerMessage(EventId = 1290, Level = LogLevel.Warning, Message = "The reply to a refused e-mail escalation was refused by the mail provider: {Reason}")]
        public static partial void ReplyRefused(ILogger logger, string reason);
    }
}
