namespace Escalation.Benchmarks;

internal static class RepositoryPaths
{
    /// <summary>The repository root: the folder holding EscalationFunctions.sln above the binaries.</summary>
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
