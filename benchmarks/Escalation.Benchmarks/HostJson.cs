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

    /// <summary>extensions.durableTask.storageProvider.controlQueueVisibilityTimeout; the backend's default (5 minutes) when absent.</summary>
    public static TimeSpan ControlQueueVisibilityTimeout() => Time(StorageProvider("controlQueueVisibilityTimeout")) ?? TimeSpan.FromMinutes(5);

    /// <summary>extensions.durableTask.storageProvider.workItemQueueVisibilityTimeout; the backend's default (5 minutes) when absent.</summary>
    public static TimeSpan WorkItemQueueVisibilityTimeout() => Time(StorageProvider("workItemQueueVisibilityTimeout")) ?? TimeSpan.FromMinutes(5);

    /// <summary>singleton.listenerLockPeriod: how long a timer's lock outlives the instance holding it (the host's default 60 s).</summary>
    public static TimeSpan ListenerLockPeriod() => Time(Singleton("listenerLockPeriod")) ?? TimeSpan.FromSeconds(60);

    /// <summary>singleton.listenerLockRecoveryPollingInterval: how often the other instances try to take it (default 60 s).</summary>
    public static TimeSpan ListenerLockRecoveryPollingInterval() => Time(Singleton("listenerLockRecoveryPollingInterval")) ?? TimeSpan.FromSeconds(60);

    private static TimeSpan? Time(JsonElement? value) => value is { } text ? TimeSpan.Parse(text.GetString()!, CultureInfo.InvariantCulture) : null;

    private static JsonElement? Singleton(string setting)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path));
        return json.RootElement.TryGetProperty("singleton", out var singleton) && singleton.TryGetProperty(setting, out var value) ? value.Clone() : null;
    }

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
