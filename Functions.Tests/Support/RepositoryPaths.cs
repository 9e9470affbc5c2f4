namespace Escalation.Tests.Support;

internal static class RepositoryPaths
{
    /// <summary>The repository root: the folder holding EscalationFunctions.sln above the binaries (tests and benchmarks share this file).</summary>
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EscalationFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EscalationFunctions.sln not found above " + AppContext.BaseDirectory);
    }
}
