using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Escalation.Core.Notifications;

/// <summary>Sends mail through the SendGrid v3 API (or a compatible local capture server at the configured base URL).</summary>
public sealed class SendGridMailSender(IHttpClientFactory httpClientFactory, IOptions<MailOptions> options) : IMailSender
{
    public const string HttpClientName = "SendGrid";

    /// <summary>SendGrid sends the "Authorization" header even to a capture server, so it needs some key.</summary>
    private const string LocalCaptureKey = "local-capture";

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var settings = options.Value;
        var client = new SendGridClient(httpClientFactory.CreateClient(HttpClientName), new SendGridClientOptions
        {
            ApiKey = string.IsNullOrWhiteSpace(settings.SendGridApiKey) ? LocalCaptureKey : settings.SendGridApiKey,
            Host = settings.SendGridBaseUrl,
        });

        var message = new SendGridMessage
        {
            From = new EmailAddress(settings.FromAddress, settings.FromName),
            Subject = mail.Subject,
            PlainTextContent = mail.Text,
        };
        message.AddTos(mail.To.Select(r => new EmailAddress(r.Email, r.Name)).ToList());
        if (mail.Cc.Count > 0)
        {
            message.AddCcs(mail.Cc.Select(r => new EmailAddress(r.Email, r.Name)).ToList());
        }

        message.AddHeader("Message-ID", mail.MessageId);
        message.AddCustomArg("messageId", mail.MessageId);

        var response = await client.SendEmailAsync(message, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Body.ReadAsStringAsync(cancellationToken);
            throw new MailNotSentException($"SendGrid refused mail {mail.MessageId}: {(int)response.StatusCode} {body}");
        }
    }
}

/// <summary>The mail provider did not accept a message; the activity fails and Durable retries it.</summary>
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
