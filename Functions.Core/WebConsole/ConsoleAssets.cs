using System.Text.RegularExpressions;

namespace Escalation.Core.WebConsole;

/// <summary>One file of the browser console: where it is, its media type and how long browsers may keep it.</summary>
public sealed record ConsoleAsset(string Path, string ContentType, string CacheControl);

/// <summary>
/// The browser console's static files, a flat folder next to the app (<c>console/</c> in the build output). Only a
/// plain file name of a known type that exists in that folder is served: no folders, no dots first, so no path
/// outside the folder can be named.
/// </summary>
public static partial class ConsoleAssets
{
    public const string FolderName = "console";
    public const string IndexFile = "index.html";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
    };

    /// <summary>The file <paramref name="name"/> of the console folder under <paramref name="root"/>, or null (404).</summary>
    public static ConsoleAsset? Find(string root, string? name)
    {
        ArgumentNullException.ThrowIfNull(root);
        name = string.IsNullOrEmpty(name) ? IndexFile : name;
        if (!SafeName().IsMatch(name) || !ContentTypes.TryGetValue(System.IO.Path.GetExtension(name), out var contentType))
        {
            return null;
        }

        var folder = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, FolderName));
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, name));
        if (!path.StartsWith(folder + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
        {
            return null;
        }

        // Pages and the app's own scripts are revalidated on every use (ETag), so a deployment shows at once; the
        // third-party chart library changes only with package-lock.json and may be kept for a day.
        var cache = name.StartsWith("chart.", StringComparison.Ordinal) ? "public, max-age=86400" : "no-cache";
        return new ConsoleAsset(path, contentType, cache);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.[a-z]{2,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();
}
