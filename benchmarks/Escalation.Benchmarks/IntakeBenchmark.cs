using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Escalation.Functions.Http;
using Escalation.Functions.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Escalation.Tests.Support;

namespace Escalation.Benchmarks;

/// <summary>
/// Web intake end to end: the web intake function (POST /api/tickets) with the app's real pipeline, store and Durable
/// client, each ticket's orchestration scheduled on the Azure Storage backend on Azurite by the app's starter (ADR 12).
/// Measures throughput and latency at 1 and 8 concurrent clients, process CPU (through the settle, so the background
/// starts and first orchestration episodes count), how long after the answer each start was made, Cosmos round trips
/// and request charges (a request handler in the app's Cosmos client), storage transactions (Azurite's request log),
/// and then the escalation lag of short-window tickets in the same run.
/// </summary>
internal static class IntakeBenchmark
{
    private static readonly TimeSpan MinSettle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan MaxSettle = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan QuietCpuPerSecond = TimeSpan.FromMilliseconds(60);
    private static readonly TimeSpan Baseline = TimeSpan.FromSeconds(10);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var polling = options.Polling ?? HostJson.MaxQueuePollingInterval();
        var loadAtStart = LoadAverage();
        Console.WriteLine($"Web intake: {options.Tickets} tickets at 1 client, {options.Tickets} at {options.Clients} clients, then "
            + $"{options.LagTickets} tickets with an SLA window of {Format(options.Window)} for the escalation lag; "
            + $"maxQueuePollingInterval {Format(polling)}; load average {loadAtStart}");

        var work = Directory.CreateTempSubdirectory("escalation-bench-");
        try
        {
            // The Durable backend's storage requests, written by its storage clients (Azurite's --debug log slowed it down).
            var log = Path.Combine(work.FullName, "storage-requests.log");
            var counter = new CosmosCallCounter();
            using var starts = new StartDelayListener();
            var me = Process.GetCurrentProcess();
            var windows = new List<Window>();
            LagResult lag;
            ColdStart cold;
            int partitions;
            await using (var servers = await LocalServers.StartAsync(azuriteDebugLog: null, cancellationToken))
            await using (var mail = await MailCapture.StartAsync(cancellationToken))
            await using (var app = await BenchApp.StartAsync(servers, mail, TimeSpan.FromDays(1),
                new Dictionary<string, string?> { ["Sla:Windows:High"] = Format(options.Window) }, [counter], cancellationToken))
            {
                var directory = await app.LoadDemoDirectoryAsync(cancellationToken);
                // The harness reads tickets through a client of its own, so its reads are not counted as the app's.
                using var observerStore = new CosmosStore(app.Get<IOptions<CosmosOptions>>().Value);
                var observer = new TicketStore(observerStore);
                var functions = ActivatorUtilities.CreateInstance<TicketOrchestrationFunctions>(app.Services);
                var escalations = ActivatorUtilities.CreateInstance<EscalationOrchestrationFunctions>(app.Services);
                var intake = ActivatorUtilities.CreateInstance<WebIntakeFunction>(app.Services);
                var pipeline = app.Get<Core.Intake.IntakePipeline>();
                var starter = app.Get<OrchestrationStarter>();
                // Warm-up, not counted: the JIT up to tier 1 of both processes (twenty tickets left the first phase paying
                // most of it), connections, the directory cache. Then a fresh Azurite: in memory, it slows down as its tables
                // and queues fill (each poll scans a queue's waiting timer messages), and the measured hub starts empty. The
                // warm-up hub has a name of its own and no log: its backend's partition manager outlives StopAsync (it keeps
                // trying to release its leases) and must not compete for the measured hub's partitions.
                await using var engine = await AzureStorageDurableEngine.StartAsync(
                    servers.StorageConnectionString, "escalationwarmup", polling, functions, escalations, cancellationToken, LogLevel.None, log);
                Task SettleAsync() => SettleUntilQuietAsync(starter, () => Cpu(me) + engine.HostCpu, cancellationToken);
                Sample Now() => new(DateTimeOffset.UtcNow, Stopwatch.GetTimestamp(), Cpu(me), engine.HostCpu, servers.AzuriteCpu, servers.CosmosCpu,
                    System.Runtime.JitInfo.GetCompilationTime(), System.Runtime.JitInfo.GetCompiledMethodCount());
                var firstTicket = Now();
                foreach (var clients in new[] { 1, options.Clients })
                {
                    await SubmitAsync(intake, engine.Client, $"warmup{clients}", options.Tickets, clients, Priority.Normal, cancellationToken);
                }

                await SubmitThroughPipelineAsync(pipeline, new AwaitedStart(app.Get<TicketWorkflows>().For(engine.Client)), "warmup-awaited",
                    options.Tickets, options.Clients, cancellationToken);
                await SettleAsync();
                var intakeSettled = Now();
                var warmupIntake = new Window("cold intake", options.Clients, 3 * options.Tickets, firstTicket, intakeSettled, intakeSettled, []);
                // The breach path too: breaches and notices run code that no intake runs (about 5,000 methods, 106 ms of JIT per
                // breach when the measured burst was the first).
                var warmupLag = await MeasureLagAsync("warmup-lag", intake, engine.Client, observer, mail, directory, starts, options, polling, Now,
                    cancellationToken);
                if (!warmupLag.Complete)
                {
                    throw new InvalidOperationException("The warm-up's breaches did not all send their notices.");
                }

                cold = new ColdStart(warmupIntake, warmupLag.Window);

                await SettleAsync();

                await servers.RestartAzuriteAsync(cancellationToken);
                await engine.SwitchTaskHubAsync("escalationbench", LogLevel.Warning, cancellationToken);
                partitions = engine.PartitionCount;
                await SettleAsync();
                var idleFrom = Now();
                await Task.Delay(Baseline, cancellationToken);
                windows.Add(new Window("idle", 0, 0, idleFrom, Now(), Now(), []));

                var numbers = new List<string>();
                foreach (var clients in new[] { 1, options.Clients })
                {
                    var from = Now();
                    var submitted = await SubmitAsync(intake, engine.Client, $"c{clients}", options.Tickets, clients, Priority.Normal, cancellationToken);
                    var submittedAt = Now();
                    await SettleAsync();
                    windows.Add(new Window($"{clients} client{(clients == 1 ? string.Empty : "s")}", clients, submitted.Count, from, submittedAt, Now(),
                        [.. submitted.Select(s => s.Latency.TotalMilliseconds)]));
                    numbers.AddRange(submitted.Select(s => s.Number));
                }

                // The escalation lag comes right after the measured phases, on a task hub holding their 400 waiting
                // orchestrations (as before ADR 12): Azurite polls slow down with every further waiting timer.
                lag = await MeasureLagAsync("lag", intake, engine.Client, observer, mail, directory, starts, options, polling, Now, cancellationToken);
                windows.Add(lag.Window);

                // Diagnostics: the same intake awaiting the orchestration's start as it did before ADR 12, and with a workflow
                // that schedules nothing, to show the intake's own share of CPU and latency beside the Durable client's.
                var awaitedFrom = Now();
                var awaitedLatencies = await SubmitThroughPipelineAsync(pipeline, new AwaitedStart(app.Get<TicketWorkflows>().For(engine.Client)),
                    "awaited", options.Tickets, options.Clients, cancellationToken);
                var awaitedDone = Now();
                await SettleAsync();
                windows.Add(new Window($"{options.Clients} awaited", options.Clients, options.Tickets, awaitedFrom, awaitedDone, Now(), awaitedLatencies));

                var bare = Now();
                var bareLatencies = await SubmitThroughPipelineAsync(pipeline, new NoWorkflow(), "bare", options.Tickets, options.Clients, cancellationToken);
                var bareDone = Now();
                windows.Add(new Window($"{options.Clients} no Durable", options.Clients, options.Tickets, bare, bareDone, bareDone, bareLatencies));

                var notRunning = await NotRunningAsync(engine.Client, numbers, cancellationToken);
                Console.WriteLine($"Orchestrations of the {numbers.Count} measured tickets not running at the end: {notRunning}");
            }

            // The engine, and with it the host process that writes the log, has stopped here.
            var storage = StorageClientLog.Read(log, windows.Min(w => w.From.At)).ToList();

            var result = Report(windows, cold, counter, starts, storage, lag, polling, partitions, loadAtStart, LoadAverage(), options);
            var path = options.Output ?? RepositoryPaths.Combine("benchmarks", "results",
                $"intake-{DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHHmmss", CultureInfo.InvariantCulture)}Z.json");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, result, cancellationToken);
            Console.WriteLine($"Written: {Path.GetRelativePath(RepositoryPaths.Root, Path.GetFullPath(path))}");
            return lag.Complete ? 0 : 1;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Waits until a phase's work is done, so that the next phase and the idle baseline do not carry it: the starter's
    /// queue empty and then a second in which this process and the Durable host together used less than
    /// <see cref="QuietCpuPerSecond"/> (the idle engine uses 20-40 ms/s), at least <see cref="MinSettle"/>, at most <see cref="MaxSettle"/>.
    /// </summary>
    private static async Task SettleUntilQuietAsync(OrchestrationStarter starter, Func<TimeSpan> cpu, CancellationToken cancellationToken)
    {
        var until = DateTimeOffset.UtcNow + MaxSettle;
        await Task.Delay(MinSettle, cancellationToken);
        while (DateTimeOffset.UtcNow < until)
        {
            var before = cpu();
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            if (starter.Queued == 0 && cpu() - before < QuietCpuPerSecond)
            {
                return;
            }
        }

        Console.WriteLine($"The engine was still busy {MaxSettle.TotalSeconds:0} s after the phase; its figures include the rest.");
    }

    /// <summary>
    /// <paramref name="count"/> new web tickets through the web intake function from <paramref name="clients"/> concurrent
    /// clients; the requests are built beforehand so that the measured CPU is the app's.
    /// </summary>
    private static async Task<List<Submitted>> SubmitAsync(WebIntakeFunction intake, DurableTaskClient client, string prefix, int count, int clients,
        Priority priority, CancellationToken cancellationToken)
    {
        var requests = Enumerable.Range(0, count).Select(i =>
        {
            var (subject, description) = LagBenchmark.Requests[i % LagBenchmark.Requests.Length];
            return LagBenchmark.WebRequest(new WebTicketRequest(subject, description, null, priority, null), $"bench-{prefix}-{i}");
        }).ToArray();
        var results = new Submitted[count];
        await ConcurrentlyAsync(count, clients, async i =>
        {
            var started = Stopwatch.GetTimestamp();
            var result = await intake.SubmitWebTicket(requests[i], client, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (result is not JsonResult { StatusCode: StatusCodes.Status201Created, Value: Core.Intake.IntakeReceipt receipt })
            {
                throw new InvalidOperationException($"Web intake {prefix}-{i} answered {(result as JsonResult)?.StatusCode}: {JsonSerializer.Serialize((result as JsonResult)?.Value)}");
            }

            results[i] = new Submitted(receipt.TicketNumber, elapsed);
        }, cancellationToken);
        return [.. results];
    }

    private static async Task<double[]> SubmitThroughPipelineAsync(Core.Intake.IntakePipeline pipeline, ITicketWorkflow workflow, string prefix, int count,
        int clients, CancellationToken cancellationToken)
    {
        var caller = new Core.Identity.Caller("user-ursula", "Ursula User", "ursula.user@example.edu", new HashSet<string>());
        var messages = Enumerable.Range(0, count).Select(i =>
        {
            var (subject, description) = LagBenchmark.Requests[i % LagBenchmark.Requests.Length];
            return new WebTicketRequest(subject, description, null, Priority.Normal, null).ToIntakeMessage(caller, $"bench-{prefix}-{i}");
        }).ToArray();
        var latencies = new double[count];
        await ConcurrentlyAsync(count, clients, async i =>
        {
            var started = Stopwatch.GetTimestamp();
            var result = await pipeline.SubmitAsync(messages[i], workflow, cancellationToken);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!result.IsSuccess || !result.Value.Created)
            {
                throw new InvalidOperationException($"Intake {prefix}-{i}: {result.Status}");
            }
        }, cancellationToken);
        return latencies;
    }

    /// <summary>Runs <paramref name="submit"/> for 0 … <paramref name="count"/> − 1 from <paramref name="clients"/> concurrent clients, each taking the next index.</summary>
    private static async Task ConcurrentlyAsync(int count, int clients, Func<int, Task> submit, CancellationToken cancellationToken)
    {
        var next = -1;
        async Task ClientAsync()
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                await submit(i);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(ClientAsync, cancellationToken)));
    }

    private static async Task<int> NotRunningAsync(DurableTaskClient client, IEnumerable<string> numbers, CancellationToken cancellationToken)
    {
        var notRunning = 0;
        foreach (var number in numbers)
        {
            var instance = await client.GetInstanceAsync(TicketWorkflow.InstanceId(number), cancellationToken);
            notRunning += instance?.RuntimeStatus == OrchestrationRuntimeStatus.Running ? 0 : 1;
        }

        return notRunning;
    }

    /// <summary>Short-window tickets, submitted one after the other over the stagger, never answered: lag = notice received − SLA due.</summary>
    private static async Task<LagResult> MeasureLagAsync(string prefix, WebIntakeFunction intake, DurableTaskClient client, TicketStore observer,
        MailCapture mail, Core.Organization.OrgDirectory directory, StartDelayListener starts, BenchmarkOptions options, TimeSpan polling, Func<Sample> now,
        CancellationToken cancellationToken)
    {
        var mailsBefore = mail.Count;
        var submitted = new List<string>();
        var submittedFrom = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var step = options.LagTickets > 1 ? options.Stagger / (options.LagTickets - 1) : TimeSpan.Zero;
        for (var i = 0; i < options.LagTickets; i++)
        {
            var due = step * i;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, cancellationToken);
            }

            submitted.AddRange((await SubmitAsync(intake, client, $"{prefix}{i}", 1, 1, Priority.High, cancellationToken)).Select(s => s.Number));
        }

        var submittedTo = DateTimeOffset.UtcNow;
        var tickets = new Dictionary<string, Ticket>(StringComparer.Ordinal);
        foreach (var number in submitted)
        {
            tickets[number] = await observer.FindAsync(number, cancellationToken) ?? throw new InvalidOperationException($"{number} is not stored.");
        }

        var expected = tickets.Values.Sum(t => LagBenchmark.ExpectedNotices(t, directory));
        Console.WriteLine($"Escalation lag ({prefix}): submitted {submitted.Count} tickets (SLA window {Format(options.Window)}); {expected} notices expected.");

        // The breach window: from just before the first deadline until every notice is out and recorded.
        var firstDue = tickets.Values.Min(t => t.SlaDueAt) - TimeSpan.FromSeconds(1);
        if (firstDue > DateTimeOffset.UtcNow)
        {
            await Task.Delay(firstDue - DateTimeOffset.UtcNow, cancellationToken);
        }

        var from = now();
        var deadline = DateTimeOffset.UtcNow + options.Window + options.Stagger + (4 * polling) + TimeSpan.FromSeconds(90);
        var complete = false;
        while (DateTimeOffset.UtcNow < deadline && !complete)
        {
            await Task.Delay(250, cancellationToken);
            complete = mail.Count - mailsBefore >= expected;
        }

        var to = now();
        await Task.Delay(TimeSpan.FromSeconds(2) + polling, cancellationToken); // anything sent twice arrives now
        foreach (var number in submitted)
        {
            tickets[number] = (await observer.FindAsync(number, cancellationToken))!;
        }

        var mails = mail.Mails.Skip(mailsBefore).ToList();
        var lags = mails
            .Select(m => LagBenchmark.SubjectToken().Match(m.Subject) is { Success: true } match ? (m, match.Groups["number"].Value) : (m, null))
            .Where(m => m.Item2 is not null && tickets.ContainsKey(m.Item2))
            .Select(m => (Mail: m.m, Ticket: tickets[m.Item2!]))
            .ToList();
        // The lag in two halves: the timer and the breach activity (two queue hops), then the activity's result and the
        // notice activities (two more).
        var breaches = tickets.Values.Where(t => t.EscalatedAt is not null).Select(t => (t.EscalatedAt!.Value - t.SlaDueAt).TotalSeconds).ToList();
        var afterBreach = lags.Where(l => l.Ticket.EscalatedAt is not null).Select(l => (l.Mail.ReceivedAt - l.Ticket.EscalatedAt!.Value).TotalSeconds).ToList();
        var duplicates = mails.GroupBy(m => (m.Subject, string.Join(",", m.To))).Sum(g => g.Count() - 1);
        var recorded = tickets.Values.Sum(t => t.History.Count(h => h.Type == HistoryEntryType.NoticeSent));
        var startDelays = Stats.Of(starts.Between(submittedFrom, submittedTo + TimeSpan.FromSeconds(5)).Milliseconds);
        return new LagResult(new Window("breach + notices", 1, submitted.Count, from, to, to, []),
            Stats.Of([.. lags.Select(l => (l.Mail.ReceivedAt - l.Ticket.SlaDueAt).TotalSeconds)]), Stats.Of(breaches), Stats.Of(afterBreach),
            mails.Count, expected, duplicates, recorded, complete && mails.Count == expected && recorded == expected, startDelays);
    }

    /// <summary>Prints the tables and the JSON line; returns the indented JSON for the result file.</summary>
    private static string Report(List<Window> windows, ColdStart cold, CosmosCallCounter counter, StartDelayListener starts, List<StorageRequest> storage, LagResult lag, TimeSpan polling,
        int partitions, string loadAtStart, string loadAtEnd, BenchmarkOptions options)
    {
        var idle = windows[0];
        var idleSeconds = idle.Seconds;
        var idleStorageRate = storage.Count(r => r.At >= idle.From.At && r.At < idle.To.At) / idleSeconds;
        var idleCpuRate = (idle.To.Process - idle.From.Process).TotalMilliseconds / idleSeconds;
        var idleHostRate = (idle.To.DurableHost - idle.From.DurableHost).TotalMilliseconds / idleSeconds;
        var idleAzuriteRate = (idle.To.Azurite - idle.From.Azurite).TotalMilliseconds / idleSeconds;
        var idleCosmosRate = (idle.To.Cosmos - idle.From.Cosmos).TotalMilliseconds / idleSeconds;

        var rows = new List<object>();
        Console.WriteLine();
        Console.WriteLine($"load average at start {loadAtStart}, at end {loadAtEnd} (2 cores, shared); polling {Format(polling)}, {partitions} partitions");
        Console.WriteLine("idle baseline: " + string.Create(CultureInfo.InvariantCulture,
            $"{idleStorageRate:0.0} storage requests/s, app process CPU {idleCpuRate:0.0} ms/s, Durable host {idleHostRate:0.0} ms/s, Azurite {idleAzuriteRate:0.0} ms/s, Cosmos server {idleCosmosRate:0.0} ms/s"));
        Console.WriteLine();
        Console.WriteLine($"{"web intake",-12}{"tickets",8}{"tickets/s",10}{"p50 ms",8}{"p90 ms",8}{"p99 ms",8}{"max ms",8}"
            + $"{"CPU ms/t",9}{"+settle",9}{"JIT",6}{"host",7}{"Azurite",9}{"Cosmos",8}{"cosmos/t",10}{"RU/t",7}{"storage/t",10}");
        var perWindow = new List<(Window Window, List<CosmosCall> Cosmos, List<StorageRequest> Storage, double StoragePerTicket)>();
        foreach (var w in windows.Skip(1))
        {
            var end = w.Latencies.Length > 0 ? w.Settled : w.To;
            var seconds = (end.At - w.From.At).TotalSeconds;
            var calls = counter.Between(w.From.At, end.At).ToList();
            var requests = storage.Where(r => r.At >= w.From.At && r.At < end.At).ToList();
            var storagePerTicket = (requests.Count - (idleStorageRate * seconds)) / w.Tickets;
            var cpuSubmit = (w.To.Process - w.From.Process).TotalMilliseconds / w.Tickets;
            var cpuSettled = ((end.Process - w.From.Process).TotalMilliseconds - (idleCpuRate * seconds)) / w.Tickets;
            var host = ((end.DurableHost - w.From.DurableHost).TotalMilliseconds - (idleHostRate * seconds)) / w.Tickets;
            var azurite = ((end.Azurite - w.From.Azurite).TotalMilliseconds - (idleAzuriteRate * seconds)) / w.Tickets;
            var cosmosCpu = ((end.Cosmos - w.From.Cosmos).TotalMilliseconds - (idleCosmosRate * seconds)) / w.Tickets;
            var ru = calls.Sum(c => c.RequestCharge) / w.Tickets;
            var latency = Stats.Of(w.Latencies);
            var throughput = w.Latencies.Length > 0 ? w.Tickets / (w.To.At - w.From.At).TotalSeconds : double.NaN;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{w.Name,-12}{w.Tickets,8}{throughput,10:0.0}{latency.P50,8:0.0}{latency.P90,8:0.0}{latency.P99,8:0.0}{latency.Max,8:0.0}"
                + $"{(w.Latencies.Length > 0 ? cpuSubmit : double.NaN),9:0.0}{cpuSettled,9:0.0}{w.JitMs / w.Tickets,6:0.0}{host,7:0.0}{azurite,9:0.0}{cosmosCpu,8:0.0}"
                + $"{(double)calls.Count / w.Tickets,10:0.00}{ru,7:0.0}{storagePerTicket,10:0.0}"));
            perWindow.Add((w, calls, requests, storagePerTicket));
            var (delays, lastStart) = starts.Between(w.From.At, end.At);
            rows.Add(new
            {
                phase = w.Name,
                clients = w.Clients,
                tickets = w.Tickets,
                seconds = Math.Round((w.To.At - w.From.At).TotalSeconds, 2),
                settleSeconds = Math.Round((end.At - w.To.At).TotalSeconds, 2),
                ticketsPerSecond = double.IsNaN(throughput) ? (double?)null : Math.Round(throughput, 1),
                latencyMs = w.Latencies.Length > 0 ? latency.ToJson() : null,
                orchestrationStartDelayMs = delays.Length > 0 ? Stats.Of(delays).ToJson() : null,
                lastStartAfterLastAnswerSeconds = lastStart is { } last && w.Latencies.Length > 0 ? Math.Round((last - w.To.At).TotalSeconds, 2) : (double?)null,
                processCpuMsPerTicket = new
                {
                    duringIntake = w.Latencies.Length > 0 ? Math.Round(cpuSubmit, 2) : (double?)null,
                    throughSettleMinusIdle = Math.Round(cpuSettled, 2),
                },
                // Time in the JIT compiler (first compilations and tier-1 recompilations), on all threads: part of the app's CPU
                // above, though on contended cores the elapsed time can exceed the CPU it stands for.
                jit = new
                {
                    msPerTicket = Math.Round(w.JitMs / w.Tickets, 2),
                    methods = w.JitMethodCount,
                },
                durableHostCpuMsPerTicket = Math.Round(host, 2),
                azuriteCpuMsPerTicket = Math.Round(azurite, 2),
                cosmosServerCpuMsPerTicket = Math.Round(cosmosCpu, 2),
                cosmos = new
                {
                    callsPerTicket = Math.Round((double)calls.Count / w.Tickets, 3),
                    requestUnitsPerTicket = Math.Round(ru, 3),
                    byKind = calls.GroupBy(c => c.Label, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => new
                    {
                        perTicket = Math.Round((double)g.Count() / w.Tickets, 3),
                        requestUnitsPerTicket = Math.Round(g.Sum(c => c.RequestCharge) / w.Tickets, 3),
                        avgRequestBytes = Math.Round(g.Average(c => c.RequestBytes)),
                        avgResponseBytes = Math.Round(g.Average(c => c.ResponseBytes)),
                    }, StringComparer.Ordinal),
                },
                storage = new
                {
                    requests = requests.Count,
                    idleBaselineSubtracted = Math.Round(idleStorageRate * seconds),
                    perTicket = Math.Round(storagePerTicket, 2),
                    byOperation = requests.GroupBy(r => $"{r.Service} {r.Operation}", StringComparer.Ordinal).OrderByDescending(g => g.Count())
                        .ToDictionary(g => g.Key, g => Math.Round((double)g.Count() / w.Tickets, 2), StringComparer.Ordinal),
                },
            });
        }

        Console.WriteLine($"({options.Clients} awaited: diagnostic, intake waiting for the orchestration to be scheduled, as before ADR 12; "
            + $"{options.Clients} no Durable: diagnostic, the intake pipeline with a workflow that schedules nothing; neither is a target)");
        Console.WriteLine("(CPU ms/t: the app's process (intake, Durable client and worker, activities) while submitting; +settle: until it and the "
            + "Durable host are quiet again, idle baseline subtracted; host: the Durable host process (Azure Storage backend and its gRPC endpoint, "
            + "in the Functions host's process in Azure), through the settle; Azurite, Cosmos: the emulators' CPU, baseline subtracted; storage/t: requests of the backend's storage clients, baseline subtracted)");
        Console.WriteLine();
        Console.WriteLine("orchestration scheduled after intake answered (the starter's queue, ADR 12):");
        foreach (var (w, _, _, _) in perWindow.Where(p => p.Window.Latencies.Length > 0))
        {
            var (delays, lastStart) = starts.Between(w.From.At, w.Settled.At);
            var delay = Stats.Of(delays);
            Console.WriteLine(delays.Length == 0 ? $"  {w.Name,-12} none queued" : string.Create(CultureInfo.InvariantCulture,
                $"  {w.Name,-12} n {delay.Count,4}  p50 {delay.P50,7:0.0} ms  p99 {delay.P99,7:0.0} ms  max {delay.Max,7:0.0} ms  "
                + $"last one {(lastStart!.Value - w.To.At).TotalSeconds:0.00} s after the last answer"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {"lag tickets",-12} n {lag.StartDelays.Count,4}  p50 {lag.StartDelays.P50,7:0.0} ms  p99 {lag.StartDelays.P99,7:0.0} ms  max {lag.StartDelays.Max,7:0.0} ms  "
            + $"(one every {(options.LagTickets > 1 ? options.Stagger.TotalSeconds / (options.LagTickets - 1) : 0):0.00} s)"));

        var charges = perWindow.SelectMany(p => p.Cosmos).Select(c => c.RequestCharge).Distinct().ToList();
        var anyCharge = charges.Exists(c => c > 0);
        var flatCharge = charges.Count == 1;
        Console.WriteLine(!anyCharge ? "The local Cosmos server reports no request charge (0 RU): count the operations by kind below."
            : flatCharge ? string.Create(CultureInfo.InvariantCulture, $"The local Cosmos server answers every request with x-ms-request-charge {charges[0]}: a constant, not Azure's charge; count the operations by kind below.")
            : "Request charges as the Cosmos server reported them (x-ms-request-charge).");
        foreach (var (w, calls, requests, _) in perWindow)
        {
            Console.WriteLine($"{w.Name}: Cosmos round trips per ticket by kind (avg request/response bytes):");
            foreach (var g in calls.GroupBy(c => c.Label, StringComparer.Ordinal).OrderByDescending(g => g.Count()))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {g.Key,-36}{(double)g.Count() / w.Tickets,8:0.00}   {g.Average(c => c.RequestBytes),7:0} / {g.Average(c => c.ResponseBytes),7:0}"));
            }

            Console.WriteLine($"{w.Name}: storage requests per ticket by operation (top 8, idle baseline not subtracted):");
            foreach (var g in requests.GroupBy(r => $"{r.Service} {r.Operation} {r.Resource}", StringComparer.Ordinal).OrderByDescending(g => g.Count()).Take(8))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {g.Key,-60}{(double)g.Count() / w.Tickets,8:0.00}"));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"escalation lag: tickets {lag.Window.Tickets}   notices {lag.Notices} of {lag.Expected} expected   duplicates {lag.Duplicates}   "
            + $"recorded {lag.Recorded}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seconds after the SLA deadline: n {lag.Lag.Count}  p50 {lag.Lag.P50:0.00}  p90 {lag.Lag.P90:0.00}  p99 {lag.Lag.P99:0.00}  max {lag.Lag.Max:0.00}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  of which deadline to breach recorded: p50 {lag.Breach.P50:0.00}  p99 {lag.Breach.P99:0.00}  max {lag.Breach.Max:0.00}; "
            + $"breach recorded to notice received: p50 {lag.AfterBreach.P50:0.00}  p99 {lag.AfterBreach.P99:0.00}  max {lag.AfterBreach.Max:0.00}"));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cold start (the warm-up, not in the phases above): JIT before the first ticket {cold.Intake.From.Jit.TotalMilliseconds:0} ms ({cold.Intake.From.JitMethods} methods); "
            + $"the first {cold.Intake.Tickets} intakes: app CPU {cold.Intake.CpuMs:0} ms, JIT time {cold.Intake.JitMs:0} ms ({cold.Intake.JitMethodCount} methods); "
            + $"the first {cold.Breaches.Tickets} breaches: app CPU {cold.Breaches.CpuMs / cold.Breaches.Tickets:0.0} ms per breach, "
            + $"JIT time {cold.Breaches.JitMs / cold.Breaches.Tickets:0.0} ms ({cold.Breaches.JitMethodCount} methods)"));

        // The target CPU includes the starts made after the last answer: through the settle, idle baseline subtracted.
        var eight = perWindow.Find(p => p.Window.Clients == options.Clients && p.Window.Latencies.Length > 0);
        var eightLatency = Stats.Of(eight.Window.Latencies);
        var eightSeconds = (eight.Window.Settled.At - eight.Window.From.At).TotalSeconds;
        var eightCpu = ((eight.Window.Settled.Process - eight.Window.From.Process).TotalMilliseconds - (idleCpuRate * eightSeconds)) / eight.Window.Tickets;
        var eightHost = ((eight.Window.Settled.DurableHost - eight.Window.From.DurableHost).TotalMilliseconds - (idleHostRate * eightSeconds)) / eight.Window.Tickets;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"targets: p99 at {options.Clients} clients {eightLatency.P99:0.0} ms <= 100 ms: {(eightLatency.P99 <= 100 ? "yes" : "no")}; "
            + $"app CPU {eightCpu:0.0} ms/ticket <= 10 ms: {(eightCpu <= 10 ? "yes" : "no")} (Durable host {eightHost:0.0} more); lag p99 {lag.Lag.P99:0.00} s <= 2 s: {(lag.Lag.P99 <= 2 ? "yes" : "no")}"));

        var result = new
        {
            benchmark = "web-intake",
            at = DateTimeOffset.UtcNow,
            loadAverage = new { start = loadAtStart, end = loadAtEnd },
            processorCount = Environment.ProcessorCount,
            pollingInterval = Format(polling),
            partitions,
            cosmosRequestCharge = !anyCharge ? "none reported" : flatCharge ? "constant per request (not Azure's charge)" : "reported",
            storageCounted = "requests sent by the Durable backend's storage clients, retries included",
            idleBaseline = new
            {
                seconds = Math.Round(idleSeconds, 1),
                storageRequestsPerSecond = Math.Round(idleStorageRate, 2),
                processCpuMsPerSecond = Math.Round(idleCpuRate, 2),
                durableHostCpuMsPerSecond = Math.Round(idleHostRate, 2),
            },
            phases = rows,
            coldStart = new
            {
                note = "the warm-up, idle baseline not subtracted",
                jitBeforeFirstTicket = new { ms = Math.Round(cold.Intake.From.Jit.TotalMilliseconds), methods = cold.Intake.From.JitMethods },
                intake = new
                {
                    tickets = cold.Intake.Tickets,
                    processCpuMs = Math.Round(cold.Intake.CpuMs),
                    jitMs = Math.Round(cold.Intake.JitMs),
                    jitMethods = cold.Intake.JitMethodCount,
                },
                breaches = new
                {
                    tickets = cold.Breaches.Tickets,
                    processCpuMsPerBreach = Math.Round(cold.Breaches.CpuMs / cold.Breaches.Tickets, 1),
                    jitMsPerBreach = Math.Round(cold.Breaches.JitMs / cold.Breaches.Tickets, 1),
                    jitMethods = cold.Breaches.JitMethodCount,
                },
            },
            escalationLag = new
            {
                tickets = lag.Window.Tickets,
                slaWindow = Format(options.Window),
                stagger = Format(options.Stagger),
                notices = lag.Notices,
                expectedNotices = lag.Expected,
                duplicates = lag.Duplicates,
                recordedNotices = lag.Recorded,
                lagSeconds = lag.Lag.ToJson(),
                deadlineToBreachRecordedSeconds = lag.Breach.ToJson(),
                breachRecordedToNoticeSeconds = lag.AfterBreach.ToJson(),
                orchestrationStartDelayMs = lag.StartDelays.ToJson(),
            },
            targets = new
            {
                p99MsAtClients = Math.Round(eightLatency.P99, 1),
                p99Within100Ms = eightLatency.P99 <= 100,
                cpuMsPerTicketAtClients = Math.Round(eightCpu, 2),
                cpuWithin10Ms = eightCpu <= 10,
                durableHostCpuMsPerTicketAtClients = Math.Round(eightHost, 2),
                lagP99Seconds = Math.Round(lag.Lag.P99, 3),
                lagWithin2s = lag.Lag.P99 <= 2,
            },
        };
        Console.WriteLine("JSON " + JsonSerializer.Serialize(result));
        return JsonSerializer.Serialize(result, Indented);
    }

    private static TimeSpan Cpu(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    /// <summary>Schedules nothing: the diagnostic phase measures the intake without the Durable client.</summary>
    private sealed class NoWorkflow : ITicketWorkflow
    {
        public Task<bool> EnsureStartedAsync(TicketWorkflowState initialState, CancellationToken cancellationToken = default) => Task.FromResult(false);

        public Task<bool> SignalAsync(string ticketNumber, Core.Workflow.TicketSignal signal, CancellationToken cancellationToken = default) => Task.FromResult(false);

        public Task DeliverAsync(string ticketNumber, IEnumerable<string> outgoingIds, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }

    /// <summary>The intake as it was before ADR 12: the request waits until the orchestration is scheduled.</summary>
    private sealed class AwaitedStart(TicketWorkflow inner) : ITicketWorkflow
    {
        public Task<bool> EnsureStartedAsync(TicketWorkflowState initialState, CancellationToken cancellationToken = default) =>
            inner.EnsureStartedAsync(initialState, cancellationToken);

        public Task<bool> StartNewAsync(TicketWorkflowState initialState, CancellationToken cancellationToken = default) =>
            inner.ScheduleNewAsync(initialState, cancellationToken);

        public Task<bool> IsRunningAsync(string ticketNumber, CancellationToken cancellationToken = default) =>
            inner.IsRunningAsync(ticketNumber, cancellationToken);

        public Task<bool> SignalAsync(string ticketNumber, Core.Workflow.TicketSignal signal, CancellationToken cancellationToken = default) =>
            inner.SignalAsync(ticketNumber, signal, cancellationToken);

        public Task DeliverAsync(string ticketNumber, IEnumerable<string> outgoingIds, CancellationToken cancellationToken = default) =>
            inner.DeliverAsync(ticketNumber, outgoingIds, cancellationToken);
    }

    /// <summary>A point in time: clocks, the processes' CPU, and the app process's JIT compilation so far (time and methods).</summary>
    private sealed record Sample(DateTimeOffset At, long Timestamp, TimeSpan Process, TimeSpan DurableHost, TimeSpan Azurite, TimeSpan Cosmos,
        TimeSpan Jit, long JitMethods);

    private sealed record Submitted(string Number, TimeSpan Latency);

    private sealed record Window(string Name, int Clients, int Tickets, Sample From, Sample To, Sample Settled, double[] Latencies)
    {
        public double Seconds => (To.At - From.At).TotalSeconds;

        /// <summary>
        /// The app process's CPU from the start through the settle, and the JIT compiler's time in it (elapsed time in the
        /// compiler on all threads: on contended cores an upper bound of its CPU).
        /// </summary>
        public double CpuMs => (Settled.Process - From.Process).TotalMilliseconds;

        public double JitMs => (Settled.Jit - From.Jit).TotalMilliseconds;

        public long JitMethodCount => Settled.JitMethods - From.JitMethods;
    }

    /// <summary>The warm-up's figures: what a fresh process pays for its first intakes and its first breaches.</summary>
    private sealed record ColdStart(Window Intake, Window Breaches);

    private sealed record LagResult(Window Window, Stats Lag, Stats Breach, Stats AfterBreach, int Notices, int Expected, int Duplicates, int Recorded, bool Complete, Stats StartDelays);
}
