using Microsoft.Extensions.Configuration;

namespace Escalation.Tests.Support;

/// <summary>The "Values" of local.settings.sample.json as the Functions host turns them into configuration keys (tests and benchmarks share this file).</summary>
internal static class SampleSettings
{
    public static Dictionary<string, string?> Read() =>
        new ConfigurationBuilder().AddJsonFile(RepositoryPaths.Combine("local.settings.sample.json"), optional: false).Build()
            .GetSection("Values").AsEnumerable(makePathsRelative: true)
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => kv.Value);
}
