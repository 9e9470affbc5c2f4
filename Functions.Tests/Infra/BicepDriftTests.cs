using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Escalation.Core.Storage;
using Escalation.Tests.Support;

namespace Escalation.Tests.Infra;

/// <summary>
/// Fails when what infra/bicep deploys and what the app reads drift apart: the function app's app settings against
/// the settings of local.settings.sample.json, and the Cosmos DB containers against
/// <see cref="CosmosContainers.PartitionKeyPaths"/>. Reads the ARM template the Bicep CLI compiles from main.bicep.
/// </summary>
public sealed class BicepDriftTests(BicepTemplateFixture bicep) : IClassFixture<BicepTemplateFixture>
{
    /// <summary>Settings of local.settings.sample.json that must not be deployed, each with the reason.</summary>
    private static readonly Dictionary<string, string> LocalOnly = new(StringComparer.Ordinal)
    {
        ["AzureWebJobsStorage"] = "connection string for Azurite; Azure uses AzureWebJobsStorage__* with the managed identity",
        ["FUNCTIONS_WORKER_RUNTIME"] = "Flex Consumption declares the runtime in functionAppConfig, not as an app setting",
        ["Cosmos__AccountKey"] = "key of the local Cosmos-compatible server; in Azure local auth is off and the identity is used",
        ["Cosmos__EnsureCreated"] = "creates the database and containers at start-up; in Azure Bicep creates them",
        ["Cosmos__AcceptAnyServerCertificate"] = "accepts the local server's self-signed certificate",
        ["ServiceBus__ConnectionString"] = "SAS connection string; in Azure local auth is off and the namespace + identity are used",
        ["Auth__AllowDevelopmentIdentity"] = "X-Dev-User header for func start; the app refuses to start with it outside Development",
        ["Attachments__ConnectionString"] = "Azurite connection string; Azure uses Attachments__BlobServiceUri with the identity",
    };

    /// <summary>Settings Bicep deploys that have no local counterpart, each with the reason.</summary>
    private static readonly Dictionary<string, string> AzureOnly = new(StringComparer.Ordinal)
    {
        ["AzureWebJobsStorage__accountName"] = "host and Durable Functions storage through the managed identity",
        ["AzureWebJobsStorage__credential"] = "'managedidentity': identity-based storage connection",
        ["AzureWebJobsStorage__clientId"] = "which user-assigned identity the storage connection uses",
        ["AZURE_CLIENT_ID"] = "makes DefaultAzureCredential (Cosmos DB, Service Bus) use the user-assigned identity",
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "telemetry; there is no Application Insights locally",
        ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "Entra authentication of telemetry (local auth is off on the component)",
        ["MICROSOFT_PROVIDER_AUTHENTICATION_SECRET"] = "client secret of App Service authentication, which does not run locally",
    };

    /// <summary>Secrets: they must be Key Vault references, never values in the template.</summary>
    private static readonly string[] KeyVaultReferences =
    [
        "Mail__SendGridApiKey",
        "Intake__EmailWebhookSecret",
        "Intake__ChatSigningSecret",
        "Intake__VoicemailSigningSecret",
        "Conversation__ChatReplySigningSecret",
        "MICROSOFT_PROVIDER_AUTHENTICATION_SECRET",
    ];

    [Fact]
    public void Bicep_deploys_exactly_the_settings_the_app_reads_in_Azure()
    {
        var sample = SampleSettingNames();
        var expected = sample.Where(name => !LocalOnly.ContainsKey(name)).Concat(AzureOnly.Keys).ToHashSet(StringComparer.Ordinal);
        var deployed = bicep.AppSettings.Keys.ToHashSet(StringComparer.Ordinal);

        var missing = expected.Except(deployed).Order(StringComparer.Ordinal).ToList();
        var unexpected = deployed.Except(expected).Order(StringComparer.Ordinal).ToList();

        missing.ShouldBeEmpty(
            "local.settings.sample.json lists settings that infra/bicep/modules/functionapp.bicep does not deploy. " +
            "Add them to the app settings there, or to LocalOnly in this test if they must not reach Azure.");
        unexpected.ShouldBeEmpty(
            "infra/bicep deploys settings that local.settings.sample.json does not list. Add them (with a local value) " +
            "to the sample, remove them from functionapp.bicep, or add them to AzureOnly in this test.");
    }

    [Fact]
    public void Local_only_settings_and_legacy_runtime_settings_are_not_deployed()
    {
        var sample = SampleSettingNames();
        LocalOnly.Keys.Where(name => !sample.Contains(name)).ShouldBeEmpty(
            "LocalOnly names settings that local.settings.sample.json no longer has: remove them from the list.");

        var forbidden = LocalOnly.Keys.Append("FUNCTIONS_EXTENSION_VERSION").Append("AZURE_FUNCTIONS_ENVIRONMENT");
        forbidden.Where(bicep.AppSettings.ContainsKey).ShouldBeEmpty("these settings must never be app settings in Azure");
    }

    [Fact]
    public void Secrets_are_Key_Vault_references()
    {
        foreach (var name in KeyVaultReferences)
        {
            bicep.AppSettings.ShouldContainKey(name);
            bicep.AppSettings[name].ShouldContain("@Microsoft.KeyVault(", Case.Sensitive, $"{name} must be a Key Vault reference");
        }
    }

    [Fact]
    public void The_alerts_and_the_workbook_read_metrics_the_app_emits()
    {
        var emitted = typeof(Escalation.Core.EscalationTelemetry).GetFields()
            .Where(f => f.IsLiteral && f.GetRawConstantValue() is string value && value.StartsWith("escalation.", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);
        var alerts = File.ReadAllText(RepositoryPaths.Combine("infra", "bicep", "modules", "alerts.bicep"));
        var read = Regex.Matches(alerts, @"""(escalation\.[a-z_.]+)""").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        read.ShouldNotBeEmpty();
        read.Except(emitted).ShouldBeEmpty("alerts.bicep reads metrics the app does not emit");
        emitted.Except(read).ShouldBeEmpty("a metric the app emits is on no chart of the workbook");
    }

    [Fact]
    public void Cosmos_containers_and_partition_keys_match_the_app()
    {
        bicep.Containers.ShouldNotBeEmpty("no Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers in the template");
        var deployed = bicep.Containers.Select(c => $"{c.Name} {c.PartitionKeyPath}").Order(StringComparer.Ordinal).ToList();
        var expected = CosmosContainers.PartitionKeyPaths.Select(c => $"{c.Key} {c.Value}").Order(StringComparer.Ordinal).ToList();

        deployed.ShouldBe(expected,
            "container names and partition key paths in infra/bicep/modules/cosmos.bicep must equal CosmosContainers.PartitionKeyPaths");
        bicep.Containers.Where(c => c.HasDefaultTtl).Select(c => c.Name).ShouldBeEmpty("no container expires documents");
    }

    [Fact]
    public void The_worklists_composite_indexes_are_those_the_app_creates_locally()
    {
        var deployed = bicep.Containers.Single(c => c.Name == CosmosContainers.Worklist).CompositeIndexes;
        var expected = CosmosContainers.WorklistCompositeIndexes
            .Select(index => string.Join(", ", index.Select(p => $"{p.Path} {(p.Descending ? "desc" : "asc")}")));

        deployed.ShouldBe(expected, ignoreOrder: true,
            "a sort on two fields needs its composite index: cosmos.bicep and CosmosContainers.WorklistCompositeIndexes must agree");
    }

    private static HashSet<string> SampleSettingNames()
    {
        var path = RepositoryPaths.Combine("local.settings.sample.json");
        var root = JsonNode.Parse(File.ReadAllText(path), documentOptions: BicepTemplateFixture.LenientJson)
            ?? throw new InvalidOperationException(path + " is empty");
        var values = root["Values"]?.AsObject() ?? throw new InvalidOperationException(path + " has no Values");
        return values.Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
    }
}

/// <summary>A Cosmos DB container declared in the template.</summary>
/// <summary>A deployed container; <see cref="CompositeIndexes"/> as "path asc, path desc" lines.</summary>
public sealed record DeployedContainer(string Name, string PartitionKeyPath, bool HasDefaultTtl, IReadOnlyList<string> CompositeIndexes);

/// <summary>
/// Compiles infra/bicep/main.bicep once per test class with the Bicep CLI from tools/bicep/bicep.csproj (restored on
/// first use, like infra/validate.sh; BICEP overrides the binary) and reads what the drift tests compare. Modules are
/// nested deployments, so the whole template is searched.
/// </summary>
public sealed partial class BicepTemplateFixture : IAsyncLifetime
{
    internal static readonly JsonDocumentOptions LenientJson = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly string _outputDirectory = Path.Combine(Path.GetTempPath(), "bicep-drift-" + Guid.NewGuid().ToString("N"));

    /// <summary>App settings of the function app (Microsoft.Web/sites), name to value (often an ARM expression).</summary>
    public Dictionary<string, string> AppSettings { get; } = new(StringComparer.Ordinal);

    public List<DeployedContainer> Containers { get; } = [];

    public async Task InitializeAsync()
    {
        var bicep = await FindOrRestoreBicepAsync();
        var main = RepositoryPaths.Combine("infra", "bicep", "main.bicep");
        Directory.CreateDirectory(_outputDirectory);
        await RunAsync(bicep, ["build", main, "--outdir", _outputDirectory], TimeSpan.FromMinutes(2));

        var template = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_outputDirectory, "main.json")), documentOptions: LenientJson)
            ?? throw new InvalidOperationException("bicep build wrote an empty template");
        var resources = new List<JsonObject>();
        CollectResources(template, resources);
        ReadAppSettings(resources);
        ReadContainers(resources);
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(_outputDirectory))
        {
            Directory.Delete(_outputDirectory, recursive: true);
        }

        return Task.CompletedTask;
    }

    private void ReadAppSettings(List<JsonObject> resources)
    {
        var sites = resources.Where(r => Type(r) == "Microsoft.Web/sites").ToList();
        sites.Count.ShouldBe(1, "expected exactly one Microsoft.Web/sites resource in the template");
        var settings = sites[0]["properties"]?["siteConfig"]?["appSettings"];
        if (settings is JsonArray array)
        {
            foreach (var setting in array)
            {
                Add(Text(setting?["name"], "app setting name"), Text(setting?["value"], "app setting value"));
            }
        }
        else if (settings is not null)
        {
            throw new InvalidOperationException("siteConfig.appSettings must be a literal array (not an expression) for this test to read it: " + settings.ToJsonString());
        }

        // Settings may also be written by a Microsoft.Web/sites/config 'appsettings' resource.
        foreach (var config in resources.Where(r => Type(r) == "Microsoft.Web/sites/config"
            && Text(r["name"], "config name").Contains("appsettings", StringComparison.OrdinalIgnoreCase)))
        {
            var properties = config["properties"] as JsonObject
                ?? throw new InvalidOperationException("the appsettings resource's properties must be a literal object");
            foreach (var (name, value) in properties)
            {
                Add(name, Text(value, "app setting value"));
            }
        }

        void Add(string name, string value) =>
            AppSettings.TryAdd(name, value).ShouldBeTrue($"app setting {name} is set twice");
    }

    private void ReadContainers(List<JsonObject> resources)
    {
        foreach (var container in resources.Where(r => Type(r) == "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers"))
        {
            var resource = container["properties"]?["resource"];
            var name = Literal(Text(resource?["id"], "container id"), "container id");
            var paths = resource?["partitionKey"]?["paths"] as JsonArray
                ?? throw new InvalidOperationException($"container {name} has no literal partitionKey.paths");
            paths.Count.ShouldBe(1, $"container {name} must have a single partition key path");
            var path = Literal(Text(paths[0], "partition key path"), "partition key path");
            var composites = (resource?["indexingPolicy"]?["compositeIndexes"] as JsonArray ?? [])
                .Select(index => string.Join(", ", (index as JsonArray ?? []).Select(p =>
                    $"{Text(p?["path"], "composite path")} {(Text(p?["order"], "composite order") == "descending" ? "desc" : "asc")}")))
                .ToList();
            Containers.Add(new DeployedContainer(name, path, resource?["defaultTtl"] is not null, composites));
        }
    }

    /// <summary>Every resource declaration in the template and its nested deployments (array or symbolic-name form).</summary>
    private static void CollectResources(JsonNode? node, List<JsonObject> resources)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"] is JsonValue type && type.TryGetValue<string>(out var value) && value.Contains('/', StringComparison.Ordinal)
                    && obj["existing"]?.GetValue<bool>() != true)
                {
                    resources.Add(obj);
                }

                foreach (var (_, child) in obj)
                {
                    CollectResources(child, resources);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    CollectResources(child, resources);
                }

                break;
            default:
                break;
        }
    }

    private static string Type(JsonObject resource) => Text(resource["type"], "resource type");

    private static string Text(JsonNode? node, string what) =>
        node is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new InvalidOperationException($"expected a string {what}, found {node?.ToJsonString() ?? "nothing"}");

    private static string Literal(string text, string what) =>
        text.StartsWith('[')
            ? throw new InvalidOperationException($"the {what} must be a literal in the Bicep file for this test to read it, found {text}")
            : text;

    private static async Task<string> FindOrRestoreBicepAsync()
    {
        if (Environment.GetEnvironmentVariable("BICEP") is { Length: > 0 } overridden)
        {
            return overridden;
        }

        var project = RepositoryPaths.Combine("tools", "bicep", "bicep.csproj");
        var version = PackageVersion().Match(await File.ReadAllTextAsync(project));
        version.Success.ShouldBeTrue("no Azure.Bicep.CommandLine.linux-x64 PackageDownload version in " + project);

        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var bicep = Path.Combine(packages, "azure.bicep.commandline.linux-x64", version.Groups["version"].Value, "tools", "bicep");
        if (!File.Exists(bicep))
        {
            await RunAsync("dotnet", ["restore", project, "--verbosity", "quiet"], TimeSpan.FromMinutes(5));
        }

        File.Exists(bicep).ShouldBeTrue($"the Bicep CLI is not at {bicep} after restoring {project} (linux-x64 only; set BICEP elsewhere)");
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(bicep).HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        }

        return bicep;
    }

    private static async Task RunAsync(string fileName, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + fileName);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}\n{await errors}");
        }
    }

    [GeneratedRegex("""Include="Azure\.Bicep\.CommandLine\.linux-x64"\s+Version="\[(?<version>[^\]]+)\]""")]
    private static partial Regex PackageVersion();
}
