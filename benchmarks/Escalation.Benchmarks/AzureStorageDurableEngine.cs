using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Escalation.Core;
using Escalation.Functions.Workflow;
using Grpc.Net.Client;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Escalation.Benchmarks;

/// <summary>
/// A real Durable engine: the Azure Storage backend (the one the Functions host's Durable extension uses) behind the
/// gRPC sidecar of Microsoft.DurableTask.InProcessTestHost, in a process of its own as under the Functions host
/// (<see cref="DurableHostProcess"/>), and in this process a gRPC worker running the app's orchestrator and activities
/// (<see cref="TicketOrchestrationFunctions.Register"/>) and the client, as in the app's worker.
/// </summary>
internal sealed class AzureStorageDurableEngine : IAsyncDisposable
{
    private readonly Process _host;
    private readonly string _address;
    private readonly TicketOrchestrationFunctions _functions;
    private readonly EscalationOrchestrationFunctions _escalations;
    private IHost _worker;
    private GrpcChannel _channel;

    private AzureStorageDurableEngine(Process host, string address, TicketOrchestrationFunctions functions, EscalationOrchestrationFunctions escalations,
        string taskHubName, int partitionCount, LogLevel logLevel)
    {
        _host = host;
        _address = address;
        _functions = functions;
        _escalations = escalations;
        TaskHubName = taskHubName;
        PartitionCount = partitionCount;
        (_worker, _channel) = StartWorker(logLevel);
    }

    public string TaskHubName { get; private set; }

    public int PartitionCount { get; }

    public DurableTaskClient Client => _worker.Services.GetRequiredService<DurableTaskClient>();

    /// <summary>CPU used so far by the Durable host process (the backend and its gRPC endpoint).</summary>
    public TimeSpan HostCpu => ChildProcess.CpuOf(_host);

    public static async Task<AzureStorageDurableEngine> StartAsync(
        string storageConnectionString, string taskHubName, TimeSpan maxQueuePollingInterval, TicketOrchestrationFunctions functions,
        EscalationOrchestrationFunctions escalations, CancellationToken cancellationToken, LogLevel logLevel = LogLevel.Warning,
        string? storageRequestLog = null, string? workerId = null)
    {
        var port = FreePort();
        var partitionCount = HostJson.PartitionCount();
        var host = await StartHostAsync(
            DurableHostProcess.Arguments(storageConnectionString, taskHubName, maxQueuePollingInterval, partitionCount, port, logLevel, storageRequestLog,
                workerId),
            cancellationToken);
        var engine = new AzureStorageDurableEngine(host, $"http://127.0.0.1:{port}", functions, escalations, taskHubName, partitionCount, logLevel);
        await engine._worker.StartAsync(cancellationToken);
        return engine;
    }

    /// <summary>
    /// Moves the same, warmed-up host process to another task hub (e.g. on a fresh Azurite), with a new worker and client
    /// in this process: the old hub's work stops.
    /// </summary>
    public async Task SwitchTaskHubAsync(string taskHubName, LogLevel logLevel, CancellationToken cancellationToken)
    {
        await StopWorkerAsync();
        await _host.StandardInput.WriteLineAsync($"{DurableHostProcess.SwitchCommand} {taskHubName} {logLevel}");
        await _host.StandardInput.FlushAsync(cancellationToken);
        await WaitUntilReadyAsync(_host, cancellationToken);
        TaskHubName = taskHubName;
        (_worker, _channel) = StartWorker(logLevel);
        await _worker.StartAsync(cancellationToken);
    }

    private (IHost Worker, GrpcChannel Channel) StartWorker(LogLevel logLevel)
    {
        var channel = GrpcChannel.ForAddress(_address);
        DurableTaskClient? client = null; // for the activities that start and signal orchestrations, as [DurableClient] does
        var workerBuilder = Host.CreateApplicationBuilder();
        workerBuilder.Logging.ClearProviders();
        workerBuilder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(logLevel);
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
                TicketOrchestrationFunctions.Register(registry, _functions);
                EscalationOrchestrationFunctions.Register(registry, _escalations, () => client!);
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
        return (worker, channel);
    }

    private async Task StopWorkerAsync()
    {
        await _worker.StopAsync();
        _worker.Dispose();
        await _channel.ShutdownAsync();
        _channel.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopWorkerAsync();

        // Closing its standard input stops the host process; a hung one is killed by its PID.
        _host.StandardInput.Close();
        await ChildProcess.WaitForExitOrKillAsync(_host, TimeSpan.FromSeconds(15));
        _host.Dispose();
    }

    /// <summary>Starts this program as the Durable host and waits for its ready line; its log goes to this console's error stream.</summary>
    private static async Task<Process> StartHostAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var host = ChildProcess.StartThisProgram(arguments);
        try
        {
            await WaitUntilReadyAsync(host, cancellationToken);
            return host;
        }
        catch (InvalidOperationException)
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync(CancellationToken.None);
            throw;
        }
    }

    private static async Task WaitUntilReadyAsync(Process host, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            while (await host.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line == DurableHostProcess.ReadyLine)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        throw new InvalidOperationException("The Durable host process did not become ready within 60 s.");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
