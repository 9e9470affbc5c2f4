using System.Globalization;
using System.Text;
using System.Text.Json;
using Ardalis.Result;
using MimeKit;

namespace Escalation.Core.Intake.Email;

/// <summary>
/// Parses a SendGrid Inbound Parse webhook body (multipart/form-data) with MimeKit: the form fields, decoded in the
/// charsets the `charsets` field names; addresses and the raw header block parsed as RFC 5322; attachments as bytes.
/// Never throws for bad input. A body that is no complete multipart form is invalid for the field
/// <see cref="BodyField"/>; a form without a usable sender is invalid for "from". Other content problems are read
/// leniently: a broken `charsets` field is ignored, an unknown or unsafe charset (UTF-7) is read as UTF-8 with
/// replacement characters, attachment types that are not media types become application/octet-stream.
/// </summary>
public static class InboundEmailParser
{
    /// <summary>The validation field of errors that mean "this is not an Inbound Parse post at all".</summary>
    public const string BodyField = "body";

    /// <summary>UTF-7 lets "+ADw-" decode to "&lt;": never honoured, whatever the runtime allows.</summary>
    private const int Utf7CodePage = 65000;

    private static readonly string[] TextFields = ["from", "to", "cc", "subject", "text", "html", "headers", "envelope", "spam_score", "attachment-info", "SPF", "dkim"];

    static InboundEmailParser() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Result<InboundEmail> Parse(string? contentType, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!ContentType.TryParse(contentType ?? string.Empty, out var type)
            || !type.IsMimeType("multipart", "form-data")
            || string.IsNullOrEmpty(type.Boundary))
        {
            return Invalid(BodyField, "Expected multipart/form-data with a boundary (SendGrid Inbound Parse).");
        }

        if (body.AsSpan().IndexOf(Encoding.ASCII.GetBytes($"--{type.Boundary}--")) < 0)
        {
            // Cut off in transit: a retry may bring all of it, so this is the one content problem answered 400.
            return Invalid(BodyField, "The multipart body is incomplete: its closing boundary is missing.");
        }

        Multipart form;
        try
        {
            using var stream = new MemoryStream(body, writable: false);
            if (MimeEntity.Load(type, stream) is not Multipart multipart)
            {
                return Invalid(BodyField, "The body is not a multipart form.");
            }

            form = multipart;
        }
        catch (Exception e) when (e is FormatException or ParseException or IOException or ArgumentException)
        {
            return Invalid(BodyField, "The multipart body is malformed.");
        }

        return Read(form);
    }

    private static Result<InboundEmail> Read(Multipart form)
    {
        var parts = new Dictionary<string, MimePart>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in form.OfType<MimePart>())
        {
            var name = part.ContentDisposition?.Parameters["name"];
            if (!string.IsNullOrEmpty(name))
            {
                parts.TryAdd(name, part);
            }
        }

        var charsets = ReadCharsets(parts);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in TextFields.Where(parts.ContainsKey))
        {
            var charset = charsets.GetValueOrDefault(field) ?? parts[field].ContentType.Charset;
            fields[field] = EncodingFor(charset).GetString(Bytes(parts[field]));
        }

        if (!InternetAddressList.TryParse(fields.GetValueOrDefault("from") ?? string.Empty, out var fromList)
            || fromList.Mailboxes.FirstOrDefault() is not { } from
            || string.IsNullOrWhiteSpace(from.Address))
        {
            return Invalid("from", "A sender address is required.");
        }

        var headers = ParseHeaders(fields.GetValueOrDefault("headers"));
        var spamScore = double.TryParse(fields.GetValueOrDefault("spam_score"), NumberStyles.Float, CultureInfo.InvariantCulture, out var score)
            ? score
            : (double?)null;
        return new InboundEmail(
            new EmailAddress(from.Address.Trim(), string.IsNullOrWhiteSpace(from.Name) ? null : from.Name.Trim()),
            Addresses(fields.GetValueOrDefault("to")),
            Addresses(fields.GetValueOrDefault("cc")),
            fields.GetValueOrDefault("subject")?.Trim() ?? string.Empty,
            fields.GetValueOrDefault("text") ?? string.Empty,
            fields.GetValueOrDefault("html"),
            headers,
            spamScore,
            ReadAttachments(parts, fields.GetValueOrDefault("attachment-info")),
            SenderAuthentication.Evaluate(fields.GetValueOrDefault("SPF"), fields.GetValueOrDefault("dkim"), from.Address,
                EnvelopeFrom(fields.GetValueOrDefault("envelope"))));
    }

    /// <summary>The SMTP sender from the `envelope` field ({"to":[...],"from":"..."}), or null.</summary>
    private static string? EnvelopeFrom(string? envelope)
    {
        try
        {
            using var json = JsonDocument.Parse(envelope ?? string.Empty);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("from", out var from) && from.ValueKind == JsonValueKind.String
                    ? from.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The `charsets` field (a JSON object of field → charset); empty when it is missing or broken.</summary>
    private static Dictionary<string, string> ReadCharsets(Dictionary<string, MimePart> parts)
    {
        var charsets = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("charsets", out var part))
        {
            return charsets;
        }

        try
        {
            using var json = JsonDocument.Parse(Bytes(part));
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in json.RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String))
                {
                    charsets[property.Name] = property.Value.GetString()!;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string in it is not valid UTF-8. Either way the fields are read as UTF-8.
            charsets.Clear();
        }

        return charsets;
    }

    private static EmailHeaders ParseHeaders(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return EmailHeaders.Empty;
        }

        HeaderList list;
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(raw.TrimEnd() + "\r\n\r\n"));
            list = HeaderList.Load(stream);
        }
        catch (Exception e) when (e is FormatException or ParseException)
        {
            return EmailHeaders.Empty;
        }

        var all = list
            .GroupBy(h => h.Field, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Value?.Trim() ?? string.Empty, StringComparer.OrdinalIgnoreCase);
        return new EmailHeaders(
            MessageIds(all.GetValueOrDefault("Message-ID")).FirstOrDefault(),
            MessageIds(all.GetValueOrDefault("In-Reply-To")),
            MessageIds(all.GetValueOrDefault("References")),
            all);
    }

    /// <summary>Message-IDs without angle brackets, in order.</summary>
    private static List<string> MessageIds(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        var ids = MimeKit.Utils.MimeUtils.EnumerateReferences(value).Where(id => !string.IsNullOrWhiteSpace(id)).ToList();
        return ids.Count > 0 ? ids : [value.Trim().Trim('<', '>')];
    }

    private static List<EmailAddress> Addresses(string? value) =>
        InternetAddressList.TryParse(value ?? string.Empty, out var list)
            ? list.Mailboxes.Where(m => !string.IsNullOrWhiteSpace(m.Address))
                .Select(m => new EmailAddress(m.Address, string.IsNullOrWhiteSpace(m.Name) ? null : m.Name)).ToList()
            : [];

    private static List<InboundAttachment> ReadAttachments(Dictionary<string, MimePart> parts, string? attachmentInfo)
    {
        Dictionary<string, JsonElement>? info = null;
        try
        {
            info = attachmentInfo is null ? null : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(attachmentInfo);
        }
        catch (JsonException)
        {
            // The files themselves still carry their names and types.
        }

        string? Info(string part, string property) =>
            info is not null && info.TryGetValue(part, out var element) && element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;

        return parts
            .Where(p => p.Key.StartsWith("attachment", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(p.Key.AsSpan("attachment".Length), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .OrderBy(p => int.Parse(p.Key.AsSpan("attachment".Length), CultureInfo.InvariantCulture))
            .Select(p => new InboundAttachment(
                HeaderText.NormaliseOptional(Info(p.Key, "filename") ?? p.Value.FileName, 255) ?? p.Key,
                HeaderText.MediaType(Info(p.Key, "type") ?? p.Value.ContentType.MimeType),
                Bytes(p.Value)))
            .ToList();
    }

    private static byte[] Bytes(MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content?.DecodeTo(stream);
        return stream.ToArray();
    }

    /// <summary>The named charset; UTF-8 (with replacement characters for bad bytes) when it is missing, unknown or UTF-7.</summary>
    private static Encoding EncodingFor(string? charset)
    {
        try
        {
            var encoding = string.IsNullOrWhiteSpace(charset) ? Encoding.UTF8 : Encoding.GetEncoding(charset.Trim());
            return encoding.CodePage == Utf7CodePage ? Encoding.UTF8 : encoding;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            // NotSupportedException: UTF-7, which .NET disables.
            return Encoding.UTF8;
        }
    }

    private static Result<InboundEmail> Invalid(string field, string message) => Invalid<InboundEmail>(field, message);

    private static Result<T> Invalid<T>(string field, string message) =>
        Result<T>.Invalid(new ValidationError(field, message, null, ValidationSeverity.Error));
}
