using System.Runtime.CompilerServices;

namespace Escalation.Tests.Support;

internal static class TestProcessSettings
{
    /// <summary>
    /// Hosts built inside this process (DurableTaskTestHost's, the web hosts) watch no configuration files: each watcher
    /// takes one of the 128 inotify instances a user has, and hosts a test has stopped release theirs only when collected.
    /// </summary>
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Process-wide settings of the test assembly.")]
    internal static void WatchNoConfigurationFiles() =>
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
}
