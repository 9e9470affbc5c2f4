using System.Globalization;
using System.Text.Json;
using Escalation.Tests.Support;

namespace Escalation.Benchmarks;

/// <summary>What the function app's host.json configures for the Durable extension.</summary>
internal static class HostJson
{
    public static string Path => RepositoryPaths.Combine("Functions", "host.json");

    /// <summary>extensions.durableTask.storageProvider.maxQueuePollingInterval; the backend's default (30 s) when absent.</summary>
    public static TimeSpan MaxQueuePollingInterval() =>
        StorageProvider("maxQueuePollingInterval") is { } interval
            ? TimeSpan.Parse(interval.GetString()!, CultureInfo.InvariantCulture)
            : TimeSpan.FromSeconds(30);

    /// <summary>extensions.durableTask.storageProvider.partitionCount; the backend's default (4) when absent.</summary>
    public static int PartitionCount() => StorageProvider("partitionCount") is { } count ? count.GetInt32() : 4;

    private static JsonElement? StorageProvider(string setting)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path));
        return json.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("durableTask", out var durableTask)
            && durableTask.TryGetProperty("storageProvider", out var storageProvider)
            && storageProvider.TryGetProperty(setting, out var value)
                ? value.Clone()
                : null;
    }
}
