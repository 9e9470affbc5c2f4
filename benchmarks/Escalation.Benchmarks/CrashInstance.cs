using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Escalation.Core.Escalations;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Escalation.Functions.Http;
using Escalation.Functions.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Benchmarks;

/// <summary>
/// One instance of the function app for the crash benchmark, in a process of its own as on a scaled-out Function App:
/// the app's services, a Durable engine (its own host process, <see cref="AzureStorageDurableEngine"/>) with its own
/// worker id on the shared task hub, and the app's timers that matter here (every 15 s the quick repair sweep and the
/// overdue safety net, every 10 s the reporting projector, which sends the SLA at-risk warnings), each run only while this
/// instance holds its lock: a blob lease renewed at half its period and retried by the others, as the Functions host's
/// singleton listener lock does for each timer function with host.json's <c>singleton</c> settings.
/// Started by <see cref="CrashBenchmark"/> as <c>Escalation.Benchmarks.dll crash-instance …</c>; prints
/// <see cref="ReadyLine"/>, then answers <c>submit COUNT PRIORITY KEY</c> with a line <c>ticket NUMBER</c> per web
/// ticket and <c>submitted QUEUED</c> (the starts still queued in memory). It stops when standard input closes; the
/// benchmark kills one with SIGKILL.
/// </summary>
internal static class CrashInstance
{
    public const string Mode = "crash-instance";
    public const string ReadyLine = "instance ready";
    public const string TicketPrefix = "ticket ";
    public const string SubmittedPrefix = "submitted ";

    /// <summary>The app's two timers that recover a dead instance's work run every 15 s (OrchestrationSweepFunction).</summary>
    private static readonly TimeSpan SweepSchedule = TimeSpan.FromSeconds(15);

    /// <summary>The reporting projector runs every 10 s (ReportProjectionFunction).</summary>
    private static readonly TimeSpan ProjectorSchedule = TimeSpan.FromSeconds(10);

    /// <summary>The SLA windows of the app in this benchmark: the default, and those of high and low priority.</summary>
    public static Dictionary<string, string?> Settings(TimeSpan highWindow, TimeSpan lowWindow) => new()
    {
        ["Sla:Windows:High"] = highWindow.ToString("c", CultureInfo.InvariantCulture),
        ["Sla:Windows:Low"] = lowWindow.ToString("c", CultureInfo.InvariantCulture),
        ["Reporting:AtRiskWarnings"] = "true",
    };

    public static string[] Arguments(BenchEndpoints endpoints, string taskHubName, string workerId, TimeSpan window, TimeSpan highWindow,
        TimeSpan lowWindow) =>
        [Mode, endpoints.CosmosEndpoint, endpoints.DatabaseName, endpoints.StorageConnectionString, endpoints.MailBaseUrl, taskHubName, workerId,
            window.ToString("c", CultureInfo.InvariantCulture), highWindow.ToString("c", CultureInfo.InvariantCulture),
            lowWindow.ToString("c", CultureInfo.InvariantCulture)];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 10)
        {
            await Console.Error.WriteLineAsync($"usage: {Mode} <cosmos> <database> <storage> <mail> <task hub> <worker id> <window> <high window> <low window>");
            return 2;
        }

        var endpoints = new BenchEndpoints(args[1], args[2], args[3], args[4]);
        var (taskHubName, workerId) = (args[5], args[6]);
        var window = TimeSpan.Parse(args[7], CultureInfo.InvariantCulture);
        var settings = Settings(TimeSpan.Parse(args[8], CultureInfo.InvariantCulture), TimeSpan.Parse(args[9], CultureInfo.InvariantCulture));
        await using var app = await BenchApp.StartAsync(endpoints, window, settings, [], CancellationToken.None);
        await using var engine = await AzureStorageDurableEngine.StartAsync(endpoints.StorageConnectionString, taskHubName,
            HostJson.MaxQueuePollingInterval(), ActivatorUtilities.CreateInstance<TicketOrchestrationFunctions>(app.Services),
            ActivatorUtilities.CreateInstance<EscalationOrchestrationFunctions>(app.Services), CancellationToken.None, workerId: workerId);
        using var stopping = new CancellationTokenSource();
        var timers = RunTimersAsync(app, engine.Client, endpoints.StorageConnectionString, taskHubName, workerId, stopping.Token);
        Console.WriteLine(ReadyLine);

        var intake = ActivatorUtilities.CreateInstance<WebIntakeFunction>(app.Services);
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line.Split(' ') is ["submit", var count, var priority, var key])
            {
                for (var i = 0; i < int.Parse(count, CultureInfo.InvariantCulture); i++)
                {
                    Console.WriteLine(TicketPrefix + await SubmitAsync(intake, engine.Client, Enum.Parse<Priority>(priority), $"{key}-{i}"));
                }

                Console.WriteLine(SubmittedPrefix + app.Get<OrchestrationStarter>().Queued.ToString(CultureInfo.InvariantCulture));
            }
        }

        await stopping.CancelAsync();
        await timers;
        return 0;
    }

    private static async Task<string> SubmitAsync(WebIntakeFunction intake, DurableTaskClient client, Priority priority, string key)
    {
        var (subject, description) = LagBenchmark.Requests[Math.Abs(key.GetHashCode(StringComparison.Ordinal)) % LagBenchmark.Requests.Length];
        var result = await intake.SubmitWebTicket(LagBenchmark.WebRequest(new WebTicketRequest(subject, description, null, priority, null), key), client,
            CancellationToken.None);
        return result is JsonResult { StatusCode: StatusCodes.Status201Created, Value: Core.Intake.IntakeReceipt receipt }
            ? receipt.TicketNumber
            : throw new InvalidOperationException($"Web intake answered {(result as JsonResult)?.StatusCode}: {JsonSerializer.Serialize((result as JsonResult)?.Value)}");
    }

    /// <summary>The app's timers that matter here, each under its own lock as the Functions host runs them.</summary>
    private static Task RunTimersAsync(BenchApp app, DurableTaskClient client, string storageConnectionString, string taskHubName, string workerId,
        CancellationToken cancellationToken)
    {
        var workflow = app.Get<TicketWorkflows>().For(client);
        var container = new BlobContainerClient(storageConnectionString, "crash-benchmark-locks");
        Task Timer(string name, TimeSpan schedule, Func<CancellationToken, Task> work) =>
            RunTimerAsync(container.GetBlobClient($"{taskHubName}/{name}"), $"{workerId} holds the lock of {name}", schedule, work, cancellationToken);
        return Task.WhenAll(
            Timer(nameof(OrchestrationSweepFunction.RepairRecentTicketOrchestrations), SweepSchedule,
                token => app.Get<OrchestrationSweep>().RepairRecentAsync(workflow, token)),
            Timer(nameof(OrchestrationSweepFunction.EscalateOverdueTickets), SweepSchedule, token => app.Get<OverdueEscalations>().EscalateAsync(token)),
            Timer(nameof(ReportProjectionFunction.ProjectReports), ProjectorSchedule, token => app.Get<Core.Reporting.ReportProjection>().CatchUpAsync(token)));
    }

    /// <summary>
    /// Runs <paramref name="work"/> on its schedule while this instance holds the timer's lock, renewed at half its period
    /// whatever the work does; the lock outlives a dead holder by up to its period, and the others retry it every
    /// recovery interval (host.json <c>singleton</c>).
    /// </summary>
    private static async Task RunTimerAsync(BlobClient blob, string holding, TimeSpan schedule, Func<CancellationToken, Task> work,
        CancellationToken cancellationToken)
    {
        await blob.GetParentBlobContainerClient().CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        try
        {
            await blob.UploadAsync(BinaryData.FromString(string.Empty), overwrite: false, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
        }

        var lease = blob.GetBlobLeaseClient();
        var (period, recovery) = (HostJson.ListenerLockPeriod(), HostJson.ListenerLockRecoveryPollingInterval());
        try
        {
            while (true)
            {
                try
                {
                    await lease.AcquireAsync(period, cancellationToken: cancellationToken);
                }
                catch (RequestFailedException e) when (e.Status == 409)
                {
                    await Task.Delay(recovery, cancellationToken);
                    continue;
                }

                await Console.Error.WriteLineAsync($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {holding}");
                var (renewAt, runAt) = (DateTimeOffset.UtcNow + (period / 2), DateTimeOffset.UtcNow);
                var running = Task.CompletedTask;
                while (true)
                {
                    if (DateTimeOffset.UtcNow >= runAt && running.IsCompleted)
                    {
                        running = work(cancellationToken);
                        runAt += schedule;
                    }

                    if (DateTimeOffset.UtcNow >= renewAt)
                    {
                        await lease.RenewAsync(cancellationToken: cancellationToken);
                        renewAt += period / 2;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
