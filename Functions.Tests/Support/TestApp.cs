using Escalation.Core;
using Escalation.Core.Escalations;
using Escalation.Core.Intake.Email;
using Escalation.Core.Notifications;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Escalation.Functions;
using Escalation.Functions.Workflow;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Escalation.Tests.Support;

/// <summary>
/// The app's real service graph (the same registration as Program.cs) on a fresh database of the local Cosmos server,
/// with SendGrid captured on 127.0.0.1, a fake Service Bus publisher, and optionally a real Durable Task engine running
/// the app's orchestrator and activity functions.
/// </summary>
internal sealed class TestApp : IAsyncDisposable
{
    private TestApp(ServiceProvider services, CosmosStore store, SendGridCapture sendGrid, FakeEventPublisher events, FakeMessageArchive archive)
    {
        Services = services;
        Store = store;
        SendGrid = sendGrid;
        Events = events;
        Archive = archive;
    }

    public ServiceProvider Services { get; }

    public CosmosStore Store { get; }

    public SendGridCapture SendGrid { get; }

    public FakeEventPublisher Events { get; }

    public FakeMessageArchive Archive { get; }

    public DurableTaskTestHost? Durable { get; private set; }

    /// <summary>The activities the Durable worker was asked to run, per instance.</summary>
    public ActivityRequestLog ActivityRequests { get; } = new();

    public ITicketWorkflow Workflow => Get<TicketWorkflows>().For(
        Durable?.Client ?? throw new InvalidOperationException("Started without Durable."));

    public IEscalationWorkflow EscalationWorkflow => Get<EscalationWorkflows>().For(
        Durable?.Client ?? throw new InvalidOperationException("Started without Durable."));

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public static async Task<TestApp> StartAsync(
        CosmosServerFixture cosmos,
        IDictionary<string, string?>? settings = null,
        bool withDurable = false,
        TimeProvider? timeProvider = null,
        bool loadDirectory = true,
        StoreFaults? storeFaults = null,
        CosmosCalls? cosmosCalls = null,
        Action<IServiceCollection>? configureServices = null)
    {
        Microsoft.Azure.Cosmos.RequestHandler[] handlers = [.. new Microsoft.Azure.Cosmos.RequestHandler?[] { storeFaults, cosmosCalls }.OfType<Microsoft.Azure.Cosmos.RequestHandler>()];
        var store = await cosmos.CreateStoreAsync(handlers);
        var sendGrid = new SendGridCapture();
        var events = new FakeEventPublisher();
        var archive = new FakeMessageArchive();
        var values = SampleSettings.Read();
        values["WEBSITE_AUTH_ENABLED"] = "True"; // as on App Service with authentication on: X-MS-CLIENT-PRINCIPAL is trusted
        values["Mail:SendGridBaseUrl"] = sendGrid.BaseUrl;
        values["Cosmos:AccountEndpoint"] = cosmos.Endpoint;
        values["Cosmos:DatabaseName"] = store.Tickets.Database.Id;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Development });
        services.AddLogging();
        services.AddEscalationFunctions();
        services.AddSingleton(store);
        services.AddSingleton<ITicketEventPublisher>(events);
        services.AddSingleton<IMessageArchive>(archive);
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        configureServices?.Invoke(services);

        var app = new TestApp(services.BuildServiceProvider(validateScopes: true), store, sendGrid, events, archive);
        if (loadDirectory)
        {
            (await app.Get<DirectoryStore>().LoadAsync(Builders.DirectoryDocument())).IsSuccess.ShouldBeTrue();
        }

        if (withDurable)
        {
            await app.StartDurableAsync();
        }

        return app;
    }

    public async Task<Ticket> TicketAsync(string number) =>
        await Get<TicketStore>().FindAsync(number) ?? throw new InvalidOperationException($"{number} not stored");

    /// <summary>
    /// Waits until the ticket's orchestration exists: intake answers before the app's starter has scheduled it (ADR 12),
    /// so a test that checks the orchestration right after the answer waits for it.
    /// </summary>
    public Task<OrchestrationMetadata> WaitForOrchestrationAsync(string number, TimeSpan? timeout = null)
    {
        var client = Durable?.Client ?? throw new InvalidOperationException("Started without Durable.");
        return PollAsync(timeout, TimeSpan.FromMilliseconds(50), () => client.GetInstanceAsync(TicketWorkflow.InstanceId(number)),
            () => $"The orchestration of {number} was not scheduled.");
    }

    /// <summary>Waits until the ticket's orchestration reaches a terminal state or the condition on the ticket holds.</summary>
    public Task<Ticket> WaitForTicketAsync(string number, Func<Ticket, bool> condition, TimeSpan? timeout = null)
    {
        Ticket? last = null;
        return PollAsync(timeout, TimeSpan.FromMilliseconds(100), async () =>
            {
                last = await TicketAsync(number);
                return condition(last) ? last : null;
            },
            () => $"{number} did not reach the expected state; history: {string.Join(", ", last!.History.Select(h => h.Type))}");
    }

    /// <summary>Calls <paramref name="probe"/> every <paramref name="interval"/> until it returns a value (30 s unless told).</summary>
    private static async Task<T> PollAsync<T>(TimeSpan? timeout, TimeSpan interval, Func<Task<T?>> probe, Func<string> timedOut)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(timedOut());
            }

            await Task.Delay(interval);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Durable is not null)
        {
            await Durable.DisposeAsync();
        }

        await Services.DisposeAsync();
        SendGrid.Dispose();
    }

    private async Task StartDurableAsync()
    {
        var functions = ActivatorUtilities.CreateInstance<TicketOrchestrationFunctions>(Services);
        var escalations = ActivatorUtilities.CreateInstance<EscalationOrchestrationFunctions>(Services);
        Durable = await DurableTaskTestHost.StartAsync(registry =>
            {
                TicketOrchestrationFunctions.Register(registry, functions);
                EscalationOrchestrationFunctions.Register(registry, escalations, () => Durable!.Client);
            },
            new DurableTaskTestHostOptions
            {
                // A free port chosen by the OS: left to itself the host picks one at random, which can collide.
                Port = LocalPorts.Free(),
                LoggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning)
                    .AddProvider(ActivityRequests).AddFilter<ActivityRequestLog>(null, LogLevel.Trace)),
            });
    }
}
