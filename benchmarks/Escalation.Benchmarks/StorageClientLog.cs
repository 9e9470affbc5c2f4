using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Escalation.Benchmarks;

/// <summary>
/// Every request the Durable backend's storage clients send (each retry too: storage bills each one), one line each,
/// written by the Durable host process and read back by the benchmark. Cheaper than Azurite's --debug log, whose
/// writing slowed every storage operation of the engine it measured.
/// </summary>
internal static class StorageClientLog
{
    /// <summary>Reads the requests sent from <paramref name="from"/> on.</summary>
    public static IEnumerable<StorageRequest> Read(string path, DateTimeOffset from)
    {
        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split(' ', 4);
            if (fields.Length == 4
                && DateTimeOffset.TryParse(fields[0], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
                && at >= from
                && Uri.TryCreate(fields[3], UriKind.Absolute, out var url))
            {
                yield return new StorageRequest(at, fields[1], fields[2], url);
            }
        }
    }

    /// <summary>The client pipeline policy that writes the lines, per retry, for one storage service.</summary>
    public sealed class Recorder(string service, TextWriter log) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            ArgumentNullException.ThrowIfNull(message);
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{DateTimeOffset.UtcNow:O} {service} {message.Request.Method} {message.Request.Uri.ToUri()}");
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }
}
