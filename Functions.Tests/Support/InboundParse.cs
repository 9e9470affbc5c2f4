using System.Text;
using System.Text.Json;

namespace Escalation.Tests.Support;

/// <summary>
/// Builds SendGrid Inbound Parse webhook bodies (multipart/form-data, one part per field, text fields encoded in the
/// charset that the `charsets` field names) from the fixture files in Fixtures/email.
/// </summary>
internal sealed class InboundParse
{
    public const string Boundary = "xYzZY";
    private readonly Dictionary<string, string> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _charsets = new(StringComparer.Ordinal);
    private readonly List<(string FileName, string ContentType, byte[] Content, string InfoType)> _attachments = [];

    public static string ContentType => $"multipart/form-data; boundary={Boundary}";

    /// <summary>Loads Fixtures/email/{name}.json: { "fields": {...}, "charsets": {...}, "attachments": [{ "filename", "type", "size" }] }.</summary>
    public static InboundParse Fixture(string name)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "email", name + ".json")));
        var mail = new InboundParse();
        foreach (var field in json.RootElement.GetProperty("fields").EnumerateObject())
        {
            mail._fields[field.Name] = field.Value.GetString()!;
        }

        if (json.RootElement.TryGetProperty("charsets", out var charsets))
        {
            foreach (var charset in charsets.EnumerateObject())
            {
                mail._charsets[charset.Name] = charset.Value.GetString()!;
            }
        }

        if (json.RootElement.TryGetProperty("attachments", out var attachments))
        {
            foreach (var attachment in attachments.EnumerateArray())
            {
                mail.Attach(attachment.GetProperty("filename").GetString()!, attachment.GetProperty("type").GetString()!,
                    attachment.GetProperty("size").GetInt32());
            }
        }

        return mail;
    }

    public InboundParse With(string field, string value)
    {
        _fields[field] = value;
        return this;
    }

    public InboundParse Without(string field)
    {
        _fields.Remove(field);
        return this;
    }

    public InboundParse Charset(string field, string charset)
    {
        _charsets[field] = charset;
        return this;
    }

    /// <summary>Sets a header line in the raw `headers` field, replacing a line of the same name.</summary>
    public InboundParse Header(string name, string value)
    {
        var lines = (_fields.GetValueOrDefault("headers") ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));
        return With("headers", string.Join('\n', lines.Append($"{name}: {value}")));
    }

    /// <summary>Adds a file; <paramref name="infoType"/> is the type that `attachment-info` claims (default: the part's own).</summary>
    public InboundParse Attach(string fileName, string contentType, int size, string? infoType = null)
    {
        _attachments.Add((fileName, contentType, Enumerable.Range(0, size).Select(i => (byte)(i % 251)).ToArray(), infoType ?? contentType));
        return this;
    }

    public byte[] Build()
    {
        using var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.ASCII.GetBytes(text));
        void Part(string name, byte[] content, string? fileName = null, string? contentType = null)
        {
            Write($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"");
            Write(fileName is null ? "\r\n" : $"; filename=\"{fileName}\"\r\nContent-Type: {contentType}\r\n");
            Write("\r\n");
            body.Write(content);
            Write("\r\n");
        }

        var charsets = _fields.Keys.ToDictionary(k => k, k => _charsets.GetValueOrDefault(k, "UTF-8"));
        foreach (var (name, value) in _fields)
        {
            Part(name, Encode(value, charsets[name]));
        }

        Part("charsets", Encoding.ASCII.GetBytes(_charsets.GetValueOrDefault("*raw*") ?? JsonSerializer.Serialize(charsets)));
        if (_attachments.Count > 0)
        {
            Part("attachments", Encoding.ASCII.GetBytes(_attachments.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var info = _attachments.Select((a, i) => (Key: $"attachment{i + 1}", a))
                .ToDictionary(x => x.Key, x => new { filename = x.a.FileName, name = x.a.FileName, type = x.a.InfoType });
            Part("attachment-info", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(info)));
            for (var i = 0; i < _attachments.Count; i++)
            {
                // The part's own header stays well-formed; attachment-info (JSON) carries the name as given.
                var partFileName = _attachments[i].FileName.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
                Part($"attachment{i + 1}", _attachments[i].Content, partFileName, _attachments[i].ContentType);
            }
        }

        Write($"--{Boundary}--\r\n");
        return body.ToArray();
    }

    private static byte[] Encode(string value, string charset)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        try
        {
            return Encoding.GetEncoding(charset).GetBytes(value);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            // An unknown charset, or UTF-7 (which .NET refuses): the bytes are UTF-8, as a careless sender would send.
            return Encoding.UTF8.GetBytes(value);
        }
    }
}
