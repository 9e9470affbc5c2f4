using System.Globalization;
using System.Text.Json;
using Escalation.Tests.Support;

namespace Escalation.Benchmarks;

/// <summary>What the function app's host.json configures for the Durable extension.</summary>
internal static class HostJson
{
    public static string Path => RepositoryPaths.Combine("Functions", "host.json");

    /// <summary>extensions.durableTask.storageProvider.maxQueuePollingInterval; the backend's default (30 s) when absent.</summary>
    public static TimeSpan MaxQueuePollingInterval()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path));
        return json.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("durableTask", out var durableTask)
            && durableTask.TryGetProperty("storageProvider", out var storageProvider)
            && storageProvider.TryGetProperty("maxQueuePollingInterval", out var interval)
                ? TimeSpan.Parse(interval.GetString()!, CultureInfo.InvariantCulture)
                : TimeSpan.FromSeconds(30);
    }
}
