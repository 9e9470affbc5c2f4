using System.Text.Json;
using System.Text.RegularExpressions;
using Escalation.Tests.Support;

namespace Escalation.Tests.Http;

/// <summary>
/// The Functions host's own rules, checked on the build output (functions.metadata, the file the host reads) because
/// nothing below the host enforces them: a function that breaks one is logged as "in error" at start-up and its route
/// answers 404 while the rest of the app runs. The rules come from azure-functions-host (src/WebJobs.Script):
/// <c>Utility.FunctionNameValidationRegex</c> (<c>^[a-z][a-z0-9_\-]{0,127}$</c>, case-insensitive, not "host") and
/// <c>ScriptHost.ValidateHttpFunction</c> (a route whose text starts with "admin" or "runtime" "conflicts with one or
/// more built in routes"; two functions may not share a route for the same method; an empty route means the function name).
/// </summary>
public sealed class HostRulesTests
{
    [Fact]
    public void The_built_app_breaks_none_of_the_hosts_rules()
    {
        var functions = HostRules.ReadMetadata(BuiltMetadataPath());

        functions.Count.ShouldBeGreaterThan(10, "the metadata lists the app's functions");
        HostRules.Violations(functions).ShouldBeEmpty();
    }

    [Fact]
    public void The_built_app_keeps_its_documented_routes()
    {
        var routes = HostRules.ReadMetadata(BuiltMetadataPath()).Where(f => f.Route is not null).Select(f => f.Route).ToList();

        routes.ShouldContain("directory");
        routes.ShouldContain("health");
        routes.ShouldContain("tickets");
    }

    [Theory]
    [InlineData("admin/directory")]
    [InlineData("Admin/directory")]
    [InlineData("administration/directory")]
    [InlineData("runtime/webhooks")]
    public void A_route_the_host_reserves_is_reported(string route)
    {
        var violations = HostRules.Violations([new HostFunction("LoadDirectory", route, ["put"])]);

        violations.ShouldHaveSingleItem().ShouldContain("reserved");
    }

    [Fact]
    public void Two_functions_on_one_route_and_method_are_reported_and_other_methods_are_fine()
    {
        HostRules.Violations([new HostFunction("A", "tickets", ["post"]), new HostFunction("B", "Tickets", ["get", "post"])])
            .ShouldHaveSingleItem().ShouldContain("POST tickets");
        HostRules.Violations([new HostFunction("A", "tickets", ["post"]), new HostFunction("B", "tickets", ["get"])]).ShouldBeEmpty();
        HostRules.Violations([new HostFunction("A", "tickets", []), new HostFunction("B", "tickets", ["get"])])
            .ShouldHaveSingleItem("no methods means every method");
    }

    [Theory]
    [InlineData("host")]
    [InlineData("1Function")]
    [InlineData("Load.Directory")]
    [InlineData("Load Directory")]
    public void A_function_name_the_host_rejects_is_reported(string name)
    {
        HostRules.Violations([new HostFunction(name, null, [])]).ShouldHaveSingleItem().ShouldContain("name");
    }

    [Fact]
    public void Duplicate_function_names_are_reported_regardless_of_case()
    {
        HostRules.Violations([new HostFunction("Health", null, []), new HostFunction("health", null, [])]).ShouldHaveSingleItem();
    }

    [Fact]
    public void The_built_host_json_keeps_the_console_readable_and_escalations_on_time()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(BuiltMetadataPath())!, "host.json")));
        var logLevel = hostJson.RootElement.GetProperty("logging").GetProperty("logLevel");
        foreach (var noisy in new[] { "Azure.Core", "Azure.Storage", "DurableTask.Core", "DurableTask.AzureStorage" })
        {
            logLevel.GetProperty(noisy).GetString().ShouldBe("Warning", $"{noisy} logs every storage request at Information");
        }

        logLevel.GetProperty("default").GetString().ShouldBe("Information", "the app's own information stays visible");

        // The Azure Storage backend backs queue polling off to this interval when idle; a timer fires up to that late.
        var polling = hostJson.RootElement.GetProperty("extensions").GetProperty("durableTask").GetProperty("storageProvider")
            .GetProperty("maxQueuePollingInterval").GetString();
        TimeSpan.Parse(polling!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void The_built_host_json_lets_another_instance_take_over_a_crashed_ones_work_within_a_minute()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(BuiltMetadataPath())!, "host.json")));
        static TimeSpan Time(JsonElement section, string name) =>
            TimeSpan.Parse(section.GetProperty(name).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var storage = hostJson.RootElement.GetProperty("extensions").GetProperty("durableTask").GetProperty("storageProvider");

        // A message a dead instance had taken stays hidden this long (default 5 minutes). The Durable extension refuses
        // a control-queue timeout under one minute (AzureStorageOptions.Validate), and does not start with it.
        Time(storage, "controlQueueVisibilityTimeout").ShouldBe(TimeSpan.FromMinutes(1));
        Time(storage, "workItemQueueVisibilityTimeout").ShouldBeInRange(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30),
            "an activity a dead instance had taken runs again after this; a live one renews it every 5 s");

        // Timers (the repair sweeps) run on one instance under a blob lease; the host allows 15 to 60 s.
        var singleton = hostJson.RootElement.GetProperty("singleton");
        Time(singleton, "listenerLockPeriod").ShouldBe(TimeSpan.FromSeconds(15));
        Time(singleton, "listenerLockRecoveryPollingInterval").ShouldBe(TimeSpan.FromSeconds(15));
    }

    /// <summary>The metadata the Functions project's own build wrote (what `func start` and a deployment package use).</summary>
    private static string BuiltMetadataPath()
    {
        // The tests run from Functions.Tests/bin/{Configuration}/net10.0; the app was built with the same configuration.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = RepositoryPaths.Combine("Functions", "bin", output.Parent!.Name, output.Name, "functions.metadata");
        File.Exists(path).ShouldBeTrue($"{path} is missing: build the Functions project first.");
        return path;
    }
}

internal sealed record HostFunction(string Name, string? Route, IReadOnlyList<string> Methods);

internal static partial class HostRules
{
    private static readonly string[] ReservedRoutePrefixes = ["admin", "runtime"];

    public static List<HostFunction> ReadMetadata(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var functions = new List<HostFunction>();
        foreach (var function in document.RootElement.EnumerateArray())
        {
            var name = function.GetProperty("name").GetString()!;
            var http = function.GetProperty("bindings").EnumerateArray()
                .FirstOrDefault(b => b.GetProperty("type").GetString() == "httpTrigger");
            if (http.ValueKind == JsonValueKind.Undefined)
            {
                functions.Add(new HostFunction(name, null, []));
                continue;
            }

            var route = http.TryGetProperty("route", out var r) && !string.IsNullOrWhiteSpace(r.GetString()) ? r.GetString()!.Trim() : name;
            var methods = http.TryGetProperty("methods", out var m) ? m.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
            functions.Add(new HostFunction(name, route, methods));
        }

        return functions;
    }

    public static List<string> Violations(IReadOnlyList<HostFunction> functions)
    {
        var violations = new List<string>();
        foreach (var function in functions)
        {
            if (!FunctionName().IsMatch(function.Name) || function.Name.Equals("host", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"Function name '{function.Name}' is not a valid host function name.");
            }

            if (function.Route is { } route && ReservedRoutePrefixes.Any(p => route.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                violations.Add($"{function.Name}: route '{route}' begins with a prefix reserved for the host's built-in routes.");
            }
        }

        violations.AddRange(functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
            .Select(g => $"Function name '{g.Key}' is used {g.Count()} times."));

        var http = functions.Where(f => f.Route is not null).ToList();
        for (var i = 0; i < http.Count; i++)
        {
            for (var j = i + 1; j < http.Count; j++)
            {
                var (a, b) = (http[i], http[j]);
                if (!string.Equals(a.Route, b.Route, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var shared = a.Methods.Count == 0 ? b.Methods : b.Methods.Count == 0 ? a.Methods
                    : a.Methods.Intersect(b.Methods, StringComparer.OrdinalIgnoreCase).ToList();
                if (shared.Count > 0 || (a.Methods.Count == 0 && b.Methods.Count == 0))
                {
                    var method = shared.Count > 0 ? shared[0].ToUpperInvariant() : "ANY";
                    violations.Add($"{a.Name} and {b.Name} both map {method} {a.Route}.");
                }
            }
        }

        return violations;
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_\-]{0,127}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FunctionName();
}
