using System.Globalization;
using DurableTask.AzureStorage;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Escalation.Benchmarks;

/// <summary>
/// The Durable side of the engine in a process of its own, as under the Functions host: there the Azure Storage backend
/// and the gRPC endpoint the isolated worker talks to run in the host process, not in the app's worker. So the
/// benchmark's process is the app's (intake, Durable client, worker, activities) and this one's CPU is the host's share.
/// Started by <see cref="AzureStorageDurableEngine"/> as <c>Escalation.Benchmarks.dll durable-host …</c>; prints
/// <see cref="ReadyLine"/> when it listens, moves to another task hub on <c>hub NAME LOGLEVEL</c>, and stops when its
/// standard input closes.
/// </summary>
internal static class DurableHostProcess
{
    public const string Mode = "durable-host";
    public const string ReadyLine = "durable host listening";
    public const string SwitchCommand = "hub";

    /// <param name="workerId">The backend's worker id (which instance owns a partition); the machine name by default, as in Azure.</param>
    public static string[] Arguments(string storageConnectionString, string taskHubName, TimeSpan maxQueuePollingInterval, int partitionCount,
        int port, LogLevel logLevel, string? storageRequestLog, string? workerId = null) =>
        [Mode, storageConnectionString, taskHubName, maxQueuePollingInterval.ToString("c", CultureInfo.InvariantCulture),
            partitionCount.ToString(CultureInfo.InvariantCulture), port.ToString(CultureInfo.InvariantCulture), logLevel.ToString(),
            storageRequestLog ?? NoLog, workerId ?? Environment.MachineName];

    private const string NoLog = "-";

    /// <summary>Runs the backend and its gRPC endpoint on 127.0.0.1 until standard input closes.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 9)
        {
            await Console.Error.WriteLineAsync(
                $"usage: {Mode} <storage connection string> <task hub> <polling> <partitions> <port> <log level> <storage request log or -> <worker id>");
            return 2;
        }

        await using var requestLog = args[7] == NoLog ? null : new StreamWriter(args[7], append: true);
        var (taskHubName, logLevel) = (args[2], Enum.Parse<LogLevel>(args[6]));
        while (true)
        {
            var command = await ServeAsync(Clients(args[1], requestLog), taskHubName, TimeSpan.Parse(args[3], CultureInfo.InvariantCulture),
                int.Parse(args[4], CultureInfo.InvariantCulture), args[5], logLevel, args[8]);
            if (command?.Split(' ') is not [SwitchCommand, var nextHub, var nextLevel])
            {
                return 0;
            }

            (taskHubName, logLevel) = (nextHub, Enum.Parse<LogLevel>(nextLevel));
        }
    }

    /// <summary>Serves one task hub until the next line of standard input (null when it closes).</summary>
    private static async Task<string?> ServeAsync(StorageAccountClientProvider storage, string taskHubName, TimeSpan polling, int partitions, string port,
        LogLevel logLevel, string workerId)
    {
        // BENCH_DURABLE_TRACE=1 logs the backend's every message and episode with timestamps, to see where time goes.
        var trace = Environment.GetEnvironmentVariable("BENCH_DURABLE_TRACE") == "1" && logLevel != LogLevel.None;
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = trace ? "HH:mm:ss.fff " : null;
            })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(trace ? LogLevel.Debug : logLevel));
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = storage,
            TaskHubName = taskHubName,
            MaxQueuePollingInterval = polling,
            PartitionCount = partitions,
            LoggerFactory = loggerFactory,
            WorkerId = workerId,
            // As the Durable extension 3.x runs it, with host.json's visibility timeouts (ADR 15).
            UseTablePartitionManagement = true,
            ControlQueueVisibilityTimeout = HostJson.ControlQueueVisibilityTimeout(),
            WorkItemQueueVisibilityTimeout = HostJson.WorkItemQueueVisibilityTimeout(),
        });
        await service.CreateIfNotExistsAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(service);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        await using var sidecar = builder.Build();
        sidecar.MapGrpcService<TaskHubGrpcServer>();
        await sidecar.StartAsync();
        Console.WriteLine(ReadyLine);

        // The parent writes a command or closes standard input; dying closes it too.
        // Stopping the sidecar stops the backend too (its own application-stopping hook); stopping it a second time here
        // raced with that hook and crashed the process in AppLeaseManager.StopAsync.
        var command = await Console.In.ReadLineAsync();
        await sidecar.StopAsync();
        return command;
    }

    /// <summary>The backend's storage clients; with a log, each request they send is written to it (<see cref="StorageClientLog"/>).</summary>
    private static StorageAccountClientProvider Clients(string connectionString, TextWriter? requestLog)
    {
        if (requestLog is null)
        {
            return new StorageAccountClientProvider(connectionString);
        }

        var blob = new BlobClientOptions();
        blob.AddPolicy(new StorageClientLog.Recorder("blob", requestLog), HttpPipelinePosition.PerRetry);
        var queue = new QueueClientOptions();
        queue.AddPolicy(new StorageClientLog.Recorder("queue", requestLog), HttpPipelinePosition.PerRetry);
        var table = new TableClientOptions();
        table.AddPolicy(new StorageClientLog.Recorder("table", requestLog), HttpPipelinePosition.PerRetry);
        return new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(connectionString, blob),
            StorageServiceClientProvider.ForQueue(connectionString, queue),
            StorageServiceClientProvider.ForTable(connectionString, table));
    }
}
