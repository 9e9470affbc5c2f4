using System.Globalization;
using System.Text.RegularExpressions;

namespace Escalation.Benchmarks;

/// <summary>One request Azurite received, as its --debug log records it.</summary>
internal sealed record StorageRequest(DateTimeOffset At, string Service, string Method, Uri Url)
{
    /// <summary>The storage resource: queue, table or container name (the first path segment after the account).</summary>
    public string Resource
    {
        get
        {
            var segments = Url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length < 2)
            {
                return "(account)";
            }

            var resource = Uri.UnescapeDataString(segments[1]);
            var paren = resource.IndexOf('(', StringComparison.Ordinal);
            return paren > 0 ? resource[..paren] : resource;
        }
    }

    /// <summary>The REST operation, close to the names on the storage pricing page.</summary>
    public string Operation
    {
        get
        {
            var path = Url.AbsolutePath;
            var comp = Regex.Match(Url.Query, "(?:^|[?&])comp=([^&]+)") is { Success: true } m ? m.Groups[1].Value : null;
            return (Service, Method) switch
            {
                ("queue", "GET") when path.EndsWith("/messages", StringComparison.Ordinal) =>
                    Url.Query.Contains("peekonly=true", StringComparison.OrdinalIgnoreCase) ? "PeekMessages" : "GetMessages",
                ("queue", "POST") when path.EndsWith("/messages", StringComparison.Ordinal) => "PutMessage",
                ("queue", "DELETE") when path.Contains("/messages/", StringComparison.Ordinal) => "DeleteMessage",
                ("queue", "PUT") when path.Contains("/messages/", StringComparison.Ordinal) => "UpdateMessage",
                ("queue", "GET") when comp == "metadata" => "GetQueueMetadata",
                ("table", "GET") => "QueryEntities",
                ("table", "PUT" or "MERGE" or "PATCH") => "UpdateEntity",
                ("table", "POST") => path.EndsWith("$batch", StringComparison.Ordinal) ? "EntityGroupTransaction" : "InsertEntity",
                ("table", "DELETE") => "DeleteEntity",
                ("blob", "PUT") when comp == "lease" => "LeaseBlob",
                ("blob", _) when comp is not null => $"{Method} comp={comp}",
                _ => $"{Method}",
            };
        }
    }
}

/// <summary>Reads the request lines of Azurite's --debug log (Azurite 3.37: one "...StorageContextMiddleware" line per request).</summary>
internal static partial class AzuriteRequestLog
{
    public static IEnumerable<StorageRequest> Read(string path, DateTimeOffset from, DateTimeOffset to)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            var match = RequestLine().Match(line);
            if (!match.Success
                || !DateTimeOffset.TryParse(match.Groups["at"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                || at < from || at >= to
                || !Uri.TryCreate(match.Groups["url"].Value, UriKind.Absolute, out var url))
            {
                continue;
            }

            yield return new StorageRequest(at, match.Groups["service"].Value.ToLowerInvariant(), match.Groups["method"].Value, url);
        }
    }

    [GeneratedRegex(@"^(?<at>\S+) \S+ info: (?<service>Blob|Queue|Table)StorageContextMiddleware: RequestMethod=(?<method>\S+) RequestURL=(?<url>\S+)")]
    private static partial Regex RequestLine();
}
