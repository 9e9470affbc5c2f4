using System.Text.Json;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Escalation.Core.Notifications;

/// <summary>Sends mail through the SendGrid v3 API (or a compatible local capture server at the configured base URL).</summary>
public sealed class SendGridMailSender(IHttpClientFactory httpClientFactory, IOptions<MailOptions> options) : IMailSender
{
    public const string HttpClientName = "SendGrid";

    /// <summary>
    /// How long a call to SendGrid may take (its API answers in well under a second). A send that takes longer is
    /// abandoned and its claim kept, so it must end well inside <see cref="TicketMailer"/>'s claim lease: otherwise a
    /// second attempt could send while the first is still waiting (ADR 3).
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>SendGrid sends the "Authorization" header even to a capture server, so it needs some key.</summary>
    private const string LocalCaptureKey = "local-capture";

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var settings = options.Value;
        var client = Client();

        var message = new SendGridMessage
        {
            From = new EmailAddress(settings.FromAddress, settings.FromName),
            Subject = mail.Subject,
            PlainTextContent = mail.Text,
            HtmlContent = mail.Html,
        };
        message.AddTos(mail.To.Select(r => new EmailAddress(r.Email, r.Name)).ToList());
        if (mail.Cc.Count > 0)
        {
            message.AddCcs(mail.Cc.Select(r => new EmailAddress(r.Email, r.Name)).ToList());
        }

        message.AddHeader("Message-ID", mail.MessageId);
        if (mail.InReplyTo is not null)
        {
            message.AddHeader("In-Reply-To", mail.InReplyTo);
        }

        if (mail.References.Count > 0)
        {
            message.AddHeader("References", string.Join(' ', mail.References));
        }

        if (mail.ReplyTo is not null)
        {
            message.ReplyTo = new EmailAddress(mail.ReplyTo.Email, mail.ReplyTo.Name);
        }

        message.AddCustomArg("messageId", mail.MessageId);

        var response = await client.SendEmailAsync(message, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            var body = await response.Body.ReadAsStringAsync(cancellationToken);
            var reason = $"SendGrid answered {status} for mail {mail.MessageId}: {body}";
            throw IsPermanent(status) ? new MailRejectedException(reason) : new MailNotSentException(reason);
        }
    }

    /// <summary>
    /// Asks SendGrid's Email Activity API for a message carrying this Message-ID (sent as the custom argument
    /// "messageId"). Without the Email Activity add-on SendGrid answers 4xx: the answer is then unknown.
    /// </summary>
    public async Task<bool?> WasAcceptedAsync(string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        var query = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["query"] = $"unique_args['messageId']=\"{messageId}\"",
            ["limit"] = "1",
        });
        var response = await Client().RequestAsync(BaseClient.Method.GET, urlPath: "messages", queryParams: query, cancellationToken: cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var body = await JsonDocument.ParseAsync(await response.Body.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return body.RootElement.TryGetProperty("messages", out var messages) && messages.GetArrayLength() > 0;
    }

    private SendGridClient Client()
    {
        var settings = options.Value;
        return new SendGridClient(httpClientFactory.CreateClient(HttpClientName), new SendGridClientOptions
        {
            ApiKey = string.IsNullOrWhiteSpace(settings.SendGridApiKey) ? LocalCaptureKey : settings.SendGridApiKey,
            Host = settings.SendGridBaseUrl,
        });
    }

    /// <summary>
    /// SendGrid refuses this very message for good (400 bad request or address, 413 too large). 429 and 5xx are passing;
    /// so are 401 and 403 (a key or sender that ops fix), so the mail waits for the fix rather than being dropped.
    /// </summary>
    public static bool IsPermanent(int status) => status is 400 or 413 or 422;
}

/// <summary>
/// The provider did not accept the message this time (throttled, unavailable, misconfigured); the activity fails and
/// Durable retries it. The provider definitely did not take the message, so a retry may send it at once.
/// </summary>
public sealed class MailNotSentException : Exception
{
    public MailNotSentException()
    {
    }

    public MailNotSentException(string message)
        : base(message)
    {
    }

    public MailNotSentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The provider refused the message for good (e.g. an invalid address): retrying cannot help.</summary>
public sealed class MailRejectedException : Exception
{
    public MailRejectedException()
    {
    }

    public MailRejectedException(string message)
        : base(message)
    {
    }

    public MailRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
