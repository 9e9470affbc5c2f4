using System.Globalization;
using System.Text.Json;
using Escalation.Core;
using Escalation.Core.Organization;
using Escalation.Core.Storage;
using Escalation.Functions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Azure.Cosmos;
using Escalation.Tests.Support;

namespace Escalation.Benchmarks;

/// <summary>
/// The app's real service graph, registered like Functions.Tests' TestApp does (the settings of
/// local.settings.sample.json, then <see cref="FunctionsServiceCollectionExtensions.AddEscalationFunctions"/>), on a fresh
/// database of the local Cosmos server, with SendGrid pointed at the local capture and blobs on Azurite.
/// </summary>
internal sealed class BenchApp : IAsyncDisposable
{
    private BenchApp(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public static Task<BenchApp> StartAsync(LocalServers servers, MailCapture mail, TimeSpan slaWindow, CancellationToken cancellationToken) =>
        StartAsync(servers, mail, slaWindow, new Dictionary<string, string?>(), [], cancellationToken);

    /// <param name="settings">Settings on top of the sample's (e.g. "Sla:Windows:High").</param>
    /// <param name="cosmosHandlers">Request handlers of the app's Cosmos client (CosmosStore's handlers), e.g. a call counter.</param>
    public static Task<BenchApp> StartAsync(LocalServers servers, MailCapture mail, TimeSpan slaWindow,
        IReadOnlyDictionary<string, string?> settings, RequestHandler[] cosmosHandlers, CancellationToken cancellationToken) =>
        StartAsync(new BenchEndpoints(servers.CosmosEndpoint, "bench-" + Guid.NewGuid().ToString("N")[..12], servers.StorageConnectionString, mail.BaseUrl),
            slaWindow, settings, cosmosHandlers, cancellationToken);

    /// <summary>The app on given servers and database (another process's, as in the crash benchmark's instances).</summary>
    public static async Task<BenchApp> StartAsync(BenchEndpoints endpoints, TimeSpan slaWindow,
        IReadOnlyDictionary<string, string?> settings, RequestHandler[] cosmosHandlers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var values = SampleSettings.Read();
        values["WEBSITE_AUTH_ENABLED"] = "True"; // as on App Service with authentication on: X-MS-CLIENT-PRINCIPAL is trusted
        values["Mail:SendGridBaseUrl"] = endpoints.MailBaseUrl;
        values["Cosmos:AccountEndpoint"] = endpoints.CosmosEndpoint;
        values["Cosmos:DatabaseName"] = endpoints.DatabaseName;
        values["Attachments:ConnectionString"] = endpoints.StorageConnectionString;
        values["Sla:DefaultWindow"] = slaWindow.ToString("c", CultureInfo.InvariantCulture);
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Development });
        // Errors only: the app logs every breach as a warning, which here is the point of the run.
        services.AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error));
        services.AddEscalationFunctions();
        if (cosmosHandlers.Length > 0)
        {
            services.AddSingleton(sp => new CosmosStore(sp.GetRequiredService<IOptions<CosmosOptions>>().Value, cosmosHandlers));
        }

        var app = new BenchApp(services.BuildServiceProvider(validateScopes: true));
        await app.Get<CosmosStore>().EnsureCreatedAsync(cancellationToken);
        return app;
    }

    /// <summary>Loads samples/demo-directory.json through the app's directory store, as PUT /api/directory does.</summary>
    public async Task<OrgDirectory> LoadDemoDirectoryAsync(CancellationToken cancellationToken)
    {
        var demo = JsonSerializer.Deserialize<OrgDirectoryDocument>(
            await File.ReadAllTextAsync(RepositoryPaths.Combine("samples", "demo-directory.json"), cancellationToken), EscalationJson.Options)!;

        // The teams take no assignment mail (notifyOnAssignment: false), so the intake, lag and escalation figures stay
        // comparable with the results before assignment notices (2026-12-08) and the mails counted are the notices.
        var document = demo with { Teams = [.. demo.Teams.Select(t => t with { NotifyOnAssignment = false })] };
        var store = Get<DirectoryStore>();
        var loaded = await store.LoadAsync(document, cancellationToken);
        if (!loaded.IsSuccess)
        {
            throw new InvalidOperationException("The demo directory is invalid: " + string.Join("; ", loaded.ValidationErrors.Select(e => e.ErrorMessage)));
        }

        var current = await store.GetCurrentAsync(cancellationToken);
        return current.IsSuccess ? current.Value : throw new InvalidOperationException("The demo directory did not load.");
    }

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}

/// <summary>Where a <see cref="BenchApp"/> keeps its data and sends its mail.</summary>
internal sealed record BenchEndpoints(string CosmosEndpoint, string DatabaseName, string StorageConnectionString, string MailBaseUrl);
