using System.Net;
using System.Net.Sockets;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Escalation.Core;
using Escalation.Functions.Workflow;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Escalation.Benchmarks;

/// <summary>
/// A real Durable engine: the Azure Storage backend (the one the Functions host's Durable extension uses) behind the
/// gRPC sidecar of Microsoft.DurableTask.InProcessTestHost, composed the way DurableTaskTestHost composes it with its
/// in-memory backend, and a gRPC worker running the app's orchestrator and activities
/// (<see cref="TicketOrchestrationFunctions.Register"/>).
/// </summary>
internal sealed class AzureStorageDurableEngine : IAsyncDisposable
{
    private readonly WebApplication _sidecar;
    private readonly IHost _worker;
    private readonly GrpcChannel _channel;
    private readonly ILoggerFactory _loggerFactory;
    private readonly AzureStorageOrchestrationService _service;

    private AzureStorageDurableEngine(WebApplication sidecar, IHost worker, GrpcChannel channel, ILoggerFactory loggerFactory,
        AzureStorageOrchestrationService service, AzureStorageOrchestrationServiceSettings settings)
    {
        _service = service;
        _sidecar = sidecar;
        _worker = worker;
        _channel = channel;
        _loggerFactory = loggerFactory;
        Settings = settings;
    }

    public AzureStorageOrchestrationServiceSettings Settings { get; }

    public DurableTaskClient Client => _worker.Services.GetRequiredService<DurableTaskClient>();

    public static async Task<AzureStorageDurableEngine> StartAsync(
        string storageConnectionString, string taskHubName, TimeSpan maxQueuePollingInterval, TicketOrchestrationFunctions functions,
        EscalationOrchestrationFunctions escalations, CancellationToken cancellationToken, LogLevel logLevel = LogLevel.Warning)
    {
        var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(logLevel));
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(storageConnectionString),
            TaskHubName = taskHubName,
            MaxQueuePollingInterval = maxQueuePollingInterval,
            PartitionCount = HostJson.PartitionCount(),
            LoggerFactory = loggerFactory,
        };
        var service = new AzureStorageOrchestrationService(settings);
        await service.CreateIfNotExistsAsync();

        var address = $"http://127.0.0.1:{FreePort()}";
        var sidecarBuilder = WebApplication.CreateSlimBuilder();
        sidecarBuilder.Logging.ClearProviders();
        sidecarBuilder.Services.AddSingleton(loggerFactory);
        sidecarBuilder.WebHost.UseUrls(address);
        sidecarBuilder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
        sidecarBuilder.Services.AddGrpc();
        sidecarBuilder.Services.AddSingleton<IOrchestrationService>(service);
        sidecarBuilder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        sidecarBuilder.Services.AddSingleton<TaskHubGrpcServer>();
        var sidecar = sidecarBuilder.Build();
        sidecar.MapGrpcService<TaskHubGrpcServer>();
        await sidecar.StartAsync(cancellationToken);

        var channel = GrpcChannel.ForAddress(address);
        DurableTaskClient? client = null; // for the activities that start and signal orchestrations, as [DurableClient] does
        var workerBuilder = Host.CreateApplicationBuilder();
        workerBuilder.Logging.ClearProviders();
        workerBuilder.Services.AddSingleton(loggerFactory);
        // Orchestration payloads in the app's JSON shape, as the Functions worker does (WorkerOptions.Serializer).
        var converter = new JsonDataConverter(EscalationJson.Options);
        workerBuilder.Services.AddDurableTaskWorker(builder =>
        {
            builder.UseGrpc(options =>
            {
                options.Channel = channel;
                // The test host's sidecar sends no health pings on an idle work-item stream; without this the worker
                // reconnects every 120 s of silence (a warning, and an artefact of this host, not of the backend).
                options.SetSilentDisconnectTimeout(TimeSpan.Zero);
            });
            builder.AddTasks(registry =>
            {
                TicketOrchestrationFunctions.Register(registry, functions);
                EscalationOrchestrationFunctions.Register(registry, escalations, () => client!);
            });
            builder.Configure(options => options.DataConverter = converter);
        });
        workerBuilder.Services.AddDurableTaskClient(builder =>
        {
            builder.UseGrpc(channel);
            builder.Configure(options => options.DataConverter = converter);
            builder.RegisterDirectly();
        });
        var worker = workerBuilder.Build();
        client = worker.Services.GetRequiredService<DurableTaskClient>();
        await worker.StartAsync(cancellationToken);
        return new AzureStorageDurableEngine(sidecar, worker, channel, loggerFactory, service, settings);
    }

    public async ValueTask DisposeAsync()
    {
        await _worker.StopAsync();
        _worker.Dispose();
        await _channel.ShutdownAsync();
        _channel.Dispose();
        await _sidecar.StopAsync();
        await _sidecar.DisposeAsync();
        await _service.StopAsync(isForced: true); // its partition manager and queue polling run until stopped
        _loggerFactory.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
