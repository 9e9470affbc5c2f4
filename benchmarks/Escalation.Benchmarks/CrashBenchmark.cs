using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;

namespace Escalation.Benchmarks;

/// <summary>
/// Two instances of the app (<see cref="CrashInstance"/>, each its own process with its own Durable worker id) on one
/// task hub on Azurite, the local Cosmos server and one SendGrid stand-in. Web tickets go to both in turn; in the middle
/// of their breach wave one instance takes a burst of high-priority tickets (whose starts are still queued in its
/// memory) and is killed with SIGKILL. Before the wave, low-priority tickets with a long window are opened so that their
/// SLA at-risk warnings (at 75 % of the window) fall due while the dead instance's timers have not moved yet. Prints
/// tickets lost, e-mails lost and duplicated, how long after its deadline each notice arrived, by what the dead instance
/// held of it (its orchestration's partition, or its start), and how long after its 75 % point each of those warnings.
/// </summary>
internal static class CrashBenchmark
{
    /// <summary>ADR 15's promise: every notice within a minute of its deadline, crash or not.</summary>
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(60);

    private const string TaskHubName = "crashbench";

    private const int AtRiskTickets = 10;
    private static readonly TimeSpan HighWindow = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan LowWindow = TimeSpan.FromSeconds(160);

    public static async Task<int> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var killAt = options.Window + (options.Stagger / 2);
        var warningAt = LowWindow * Core.Reporting.ReportCalculator.WarningShare;
        Console.WriteLine($"Crash: 2 instances, {options.Tickets} web tickets over {Format(options.Stagger)} (SLA window {Format(options.Window)}); "
            + $"mid-wave {options.Burst} high-priority tickets (window {Format(HighWindow)}) to instance A, then SIGKILL of A; before the wave "
            + $"{AtRiskTickets} low-priority tickets (window {Format(LowWindow)}) whose at-risk warnings fall due in the 20 s after the kill. host.json: "
            + $"control/work-item visibility {Format(HostJson.ControlQueueVisibilityTimeout())}/{Format(HostJson.WorkItemQueueVisibilityTimeout())}, "
            + $"timer lock {Format(HostJson.ListenerLockPeriod())} (retried every {Format(HostJson.ListenerLockRecoveryPollingInterval())}), "
            + $"polling {Format(HostJson.MaxQueuePollingInterval())}, {HostJson.PartitionCount()} partitions");

        await using var servers = await LocalServers.StartAsync(azuriteDebugLog: null, cancellationToken);
        await using var mail = await MailCapture.StartAsync(cancellationToken);
        var endpoints = new BenchEndpoints(servers.CosmosEndpoint, "crash-" + Guid.NewGuid().ToString("N")[..12], servers.StorageConnectionString, mail.BaseUrl);
        await using var app = await BenchApp.StartAsync(endpoints, options.Window, CrashInstance.Settings(HighWindow, LowWindow), [], cancellationToken);
        var directory = await app.LoadDemoDirectoryAsync(cancellationToken);
        var tables = new TableServiceClient(servers.StorageConnectionString);

        await using var a = await InstanceProcess.StartAsync("A", endpoints, TaskHubName, options.Window, cancellationToken);
        await using var b = await InstanceProcess.StartAsync("B", endpoints, TaskHubName, options.Window, cancellationToken);
        var owners = await WaitForBothOwnersAsync(tables, cancellationToken);
        Console.WriteLine($"Partitions: {string.Join(", ", owners.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}");

        // Tickets whose warnings fall due in the 20 s after the kill, then the wave: tickets to A and B in turn, evenly over
        // the stagger, so their deadlines spread over as long.
        var heldBy = new Dictionary<string, string>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var waveStart = warningAt - killAt;
        var atRisk = new List<string>();
        for (var i = 0; i < AtRiskTickets; i++)
        {
            await DelayUntilAsync(clock, TimeSpan.FromSeconds(20) * i / AtRiskTickets, cancellationToken);
            var instance = i % 2 == 0 ? a : b;
            foreach (var number in (await instance.SubmitAsync(1, Priority.Low, $"at-risk-{i}", cancellationToken)).Numbers)
            {
                heldBy[number] = instance.WorkerId;
                atRisk.Add(number);
            }
        }

        var step = options.Tickets > 1 ? options.Stagger / (options.Tickets - 1) : TimeSpan.Zero;
        for (var i = 0; i < options.Tickets; i++)
        {
            await DelayUntilAsync(clock, waveStart + (step * i), cancellationToken);
            var instance = i % 2 == 0 ? a : b;
            foreach (var number in (await instance.SubmitAsync(1, Priority.Normal, $"wave-{i}", cancellationToken)).Numbers)
            {
                heldBy[number] = instance.WorkerId;
            }
        }

        // Mid-wave: a burst to A, and A dies with whatever it holds the moment it has answered.
        await DelayUntilAsync(clock, waveStart + killAt, cancellationToken);
        owners = await OwnersAsync(tables, cancellationToken);
        var burst = await a.SubmitAsync(options.Burst, Priority.High, "burst", cancellationToken);
        a.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        var instances = tables.GetTableClient($"{TaskHubName}Instances");
        var unstarted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var number in burst.Numbers)
        {
            heldBy[number] = a.WorkerId;
            var row = await instances.GetEntityIfExistsAsync<TableEntity>(TicketWorkflow.InstanceId(number), string.Empty, cancellationToken: cancellationToken);
            if (!row.HasValue)
            {
                unstarted.Add(number);
            }
        }

        Console.WriteLine($"{killedAt:HH:mm:ss.fff} killed A (SIGKILL, with its Durable host) {clock.Elapsed.TotalSeconds:0.0} s into the run; "
            + $"{burst.QueuedStarts} of its burst's starts were queued in memory when it answered, {unstarted.Count} not made at the kill; "
            + $"partitions then: {string.Join(", ", owners.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}");

        // Every notice the app's rules owe, then a while for duplicates.
        var tickets = app.Get<TicketStore>();
        var stored = new Dictionary<string, Ticket>(StringComparer.Ordinal);
        foreach (var number in heldBy.Keys)
        {
            if (await tickets.FindAsync(number, cancellationToken) is { } ticket)
            {
                stored[number] = ticket;
            }
        }

        var expected = stored.Values.ToDictionary(t => t.Number, t => LagBenchmark.ExpectedNotices(t, directory), StringComparer.Ordinal);
        var expectedWarnings = atRisk.Where(stored.ContainsKey).Sum(n =>
            Core.Reporting.AtRiskWarnings.Recipients(Core.Reporting.TicketFacts.PendingOf(stored[n])!, directory).Count(r => r.Email is not null));
        var lastDeadline = stored.Values.Max(t => t.SlaDueAt);
        var deadline = lastDeadline + TimeSpan.FromMinutes(3);
        while ((Mails(mail, stored, Notice).Count < expected.Values.Sum() || Mails(mail, stored, Warning).Count(m => atRisk.Contains(m.Number)) < expectedWarnings)
            && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(20), cancellationToken); // a second copy would come now (a claim lapses after 30 s)

        var unique = Mails(mail, stored, Notice).GroupBy(m => (m.Number, m.To)).ToList();
        var warnings = Mails(mail, stored, Warning).GroupBy(m => (m.Number, m.To)).ToList();
        var duplicates = unique.Sum(g => g.Count() - 1) + warnings.Sum(g => g.Count() - 1);
        var lost = expected.Values.Sum() - unique.Count;
        var warningsLost = expectedWarnings - warnings.Count(g => atRisk.Contains(g.Key.Number));
        var warningLags = Stats.Of([.. warnings.Where(g => atRisk.Contains(g.Key.Number)).Select(g =>
            (g.Min(m => m.ReceivedAt) - (stored[g.Key.Number].CreatedAt + ((stored[g.Key.Number].SlaDueAt - stored[g.Key.Number].CreatedAt) * Core.Reporting.ReportCalculator.WarningShare))).TotalSeconds)]);
        var partitionCount = (uint)HostJson.PartitionCount();
        string Group(string number) =>
            unstarted.Contains(number) ? "dead instance: start not made"
            : owners.GetValueOrDefault(ControlQueue(number, partitionCount)) == a.WorkerId ? "dead instance: its partition"
            : "survivor's partition";
        var lags = unique.Select(g => (Group: Group(g.Key.Number), Lag: (g.Min(m => m.ReceivedAt) - stored[g.Key.Number].SlaDueAt).TotalSeconds)).ToList();
        var all = Stats.Of([.. lags.Select(l => l.Lag)]);

        Console.WriteLine();
        Console.WriteLine($"tickets answered {heldBy.Count}, stored {stored.Count} (lost {heldBy.Count - stored.Count})   notices {unique.Count} of "
            + $"{expected.Values.Sum()} (lost {lost}), duplicates {duplicates}");
        Console.WriteLine($"{"seconds after the deadline, by holder",-40}{"n",6}{"p50",8}{"p90",8}{"p99",8}{"max",8}");
        var groups = lags.GroupBy(l => l.Group).OrderBy(g => g.Key).ToList();
        foreach (var group in groups)
        {
            Console.WriteLine(Row(group.Key, Stats.Of([.. group.Select(l => l.Lag)])));
        }

        Console.WriteLine(Row("all", all));
        Console.WriteLine($"at-risk warnings due in the 20 s after the kill: {expectedWarnings - warningsLost} of {expectedWarnings}; seconds after the 75 % point: "
            + string.Create(CultureInfo.InvariantCulture, $"p50 {warningLags.P50:0.00}  max {warningLags.Max:0.00}")
            + $"; warnings in all {warnings.Count}");
        var withinTarget = lost == 0 && all.Count > 0 && all.Max <= Target.TotalSeconds;
        Console.WriteLine($"every notice within {Target.TotalSeconds:0} s of its deadline: {(withinTarget ? "yes" : "no")}");
        Console.WriteLine("JSON " + JsonSerializer.Serialize(new
        {
            benchmark = "crash",
            ticketsAnswered = heldBy.Count,
            ticketsStored = stored.Count,
            noticesExpected = expected.Values.Sum(),
            noticesReceived = unique.Count,
            noticesLost = lost,
            duplicates,
            burst = options.Burst,
            burstStartsQueued = burst.QueuedStarts,
            burstStartsNotMadeAtKill = unstarted.Count,
            lagSeconds = groups.ToDictionary(g => g.Key, g => Stats.Of([.. g.Select(l => l.Lag)]).ToJson()),
            allLagSeconds = all.ToJson(),
            atRiskWarningsExpected = expectedWarnings,
            atRiskWarningsLost = warningsLost,
            atRiskWarningLagSeconds = warningLags.ToJson(),
            withinTarget,
        }));
        await b.StopAsync();
        return withinTarget && duplicates == 0 && warningsLost == 0 ? 0 : 1;
    }

    private const string Notice = "Escalation: no first response";
    private const string Warning = "SLA at risk";

    /// <summary>The captured mails of one kind (by their subject) about the run's tickets.</summary>
    private static List<(string Number, string To, DateTimeOffset ReceivedAt)> Mails(MailCapture mail, Dictionary<string, Ticket> stored, string kind) =>
        [.. mail.Mails
            .Where(m => m.Subject.Contains(kind, StringComparison.Ordinal))
            .Select(m => (Mail: m, Number: LagBenchmark.SubjectToken().Match(m.Subject) is { Success: true } match ? match.Groups["number"].Value : null))
            .Where(m => m.Number is not null && stored.ContainsKey(m.Number))
            .Select(m => (m.Number!, string.Join(",", m.Mail.To), m.Mail.ReceivedAt))];

    /// <summary>
    /// The control queue that holds a ticket orchestration's messages, placed as the Azure Storage backend places an
    /// instance: the 32-bit FNV-1a hash of its id's UTF-8 bytes, modulo the partition count.
    /// </summary>
    private static string ControlQueue(string ticketNumber, uint partitionCount)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(TicketWorkflow.InstanceId(ticketNumber)))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return string.Create(CultureInfo.InvariantCulture, $"{TaskHubName}-control-{hash % partitionCount:00}");
    }

    /// <summary>Which worker owns each control queue (the table partition manager's lease table).</summary>
    private static async Task<Dictionary<string, string>> OwnersAsync(TableServiceClient tables, CancellationToken cancellationToken)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var row in tables.GetTableClient($"{TaskHubName}Partitions").QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            owners[row.RowKey] = row.GetString("CurrentOwner") ?? "none";
        }

        return owners;
    }

    private static async Task<Dictionary<string, string>> WaitForBothOwnersAsync(TableServiceClient tables, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var owners = await OwnersAsync(tables, cancellationToken);
            if (owners.Values.Distinct().Count(o => o is "A" or "B") == 2 || clock.Elapsed > TimeSpan.FromMinutes(3))
            {
                return owners;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private static async Task DelayUntilAsync(Stopwatch clock, TimeSpan at, CancellationToken cancellationToken)
    {
        if (at > clock.Elapsed)
        {
            await Task.Delay(at - clock.Elapsed, cancellationToken);
        }
    }

    private static string Row(string label, Stats stats) =>
        string.Create(CultureInfo.InvariantCulture, $"{label,-40}{stats.Count,6}{stats.P50,8:0.00}{stats.P90,8:0.00}{stats.P99,8:0.00}{stats.Max,8:0.00}");

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    /// <summary>A <see cref="CrashInstance"/> process and its line protocol.</summary>
    private sealed class InstanceProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private InstanceProcess(Process process, string workerId)
        {
            _process = process;
            WorkerId = workerId;
        }

        public string WorkerId { get; }

        public static async Task<InstanceProcess> StartAsync(string workerId, BenchEndpoints endpoints, string taskHubName, TimeSpan window,
            CancellationToken cancellationToken)
        {
            var process = ChildProcess.StartThisProgram(CrashInstance.Arguments(endpoints, taskHubName, workerId, window, HighWindow, LowWindow),
                $"[{workerId}] ");
            var instance = new InstanceProcess(process, workerId);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            await instance.ReadUntilAsync(line => line == CrashInstance.ReadyLine, timeout.Token);
            return instance;
        }

        /// <summary>Submits web tickets through the instance's intake function; their numbers and the starts it still had queued.</summary>
        public async Task<(List<string> Numbers, int QueuedStarts)> SubmitAsync(int count, Priority priority, string key, CancellationToken cancellationToken)
        {
            await _process.StandardInput.WriteLineAsync($"submit {count} {priority} {key}");
            await _process.StandardInput.FlushAsync(cancellationToken);
            var numbers = new List<string>();
            var queued = 0;
            await ReadUntilAsync(line =>
            {
                if (line.StartsWith(CrashInstance.TicketPrefix, StringComparison.Ordinal))
                {
                    numbers.Add(line[CrashInstance.TicketPrefix.Length..]);
                }

                if (!line.StartsWith(CrashInstance.SubmittedPrefix, StringComparison.Ordinal))
                {
                    return false;
                }

                queued = int.Parse(line[CrashInstance.SubmittedPrefix.Length..], CultureInfo.InvariantCulture);
                return true;
            }, cancellationToken);
            return (numbers, queued);
        }

        /// <summary>SIGKILL to the instance and its Durable host: nothing runs its shutdown.</summary>
        public void Kill() => _process.Kill(entireProcessTree: true);

        public async Task StopAsync()
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                await ChildProcess.WaitForExitOrKillAsync(_process, TimeSpan.FromSeconds(30));
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _process.Dispose();
        }

        /// <summary>Reads standard output until <paramref name="done"/> says so; other lines (the app's log) go to this console.</summary>
        private async Task ReadUntilAsync(Func<string, bool> done, CancellationToken cancellationToken)
        {
            while (await _process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
            {
                if (done(line))
                {
                    return;
                }

                if (!line.StartsWith(CrashInstance.TicketPrefix, StringComparison.Ordinal))
                {
                    Console.WriteLine($"[{WorkerId}] {line}");
                }
            }

            throw new InvalidOperationException($"Instance {WorkerId} ended.");
        }
    }
}
