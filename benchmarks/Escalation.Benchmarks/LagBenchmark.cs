using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Escalation.Core.Escalations;
using Escalation.Core.Identity;
using Escalation.Core.Intake;
using Escalation.Core.Organization;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Functions.Http;
using Escalation.Functions.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Benchmarks;

/// <summary>
/// Submits web tickets through the web intake function, never answers them, and measures how long after each
/// ticket's SLA deadline its escalation e-mails reach the SendGrid stand-in.
/// </summary>
internal static partial class LagBenchmark
{
    /// <summary>p99 target: a notice leaves within two seconds of the deadline.</summary>
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(2);

    /// <summary>Requests that route to the three kinds of team in the demo directory (2, 2 and 3 recipients).</summary>
    internal static readonly (string Subject, string Description)[] Requests =
    [
        ("Laptop will not boot", "Black screen since this morning."),
        ("VPN drops every few minutes", "The VPN disconnects when I work from home."),
        ("Heating broken in room 2.14", "It is 14 degrees in the office."),
    ];

    private static readonly Caller Requester = new("user-ursula", "Ursula User", "ursula.user@example.edu", new HashSet<string>());

    public static async Task<int> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var (polling, pollingSource) = options.Polling is { } given ? (given, "--polling") : (HostJson.MaxQueuePollingInterval(), "Functions/host.json");
        Console.WriteLine($"Escalation lag: {options.Tickets} web tickets in {options.Rounds} round(s), each over {Format(options.Stagger)}, "
            + $"SLA window {Format(options.Window)}, "
            + $"maxQueuePollingInterval {Format(polling)} ({pollingSource})");

        await using var servers = await LocalServers.StartAsync(azuriteDebugLog: null, cancellationToken);
        await using var mail = await MailCapture.StartAsync(cancellationToken);
        await using var app = await BenchApp.StartAsync(servers, mail, options.Window, cancellationToken);
        var directory = await app.LoadDemoDirectoryAsync(cancellationToken);
        var functions = ActivatorUtilities.CreateInstance<TicketOrchestrationFunctions>(app.Services);
        await using var engine = await AzureStorageDurableEngine.StartAsync(
            servers.StorageConnectionString, "escalationbench", polling, functions, ActivatorUtilities.CreateInstance<EscalationOrchestrationFunctions>(app.Services), cancellationToken);
        Console.WriteLine($"Engine: Azure Storage backend on Azurite, task hub {engine.TaskHubName}, {engine.PartitionCount} partitions");

        var tickets = app.Get<TicketStore>();
        var numbers = new List<string>();
        var expected = new Dictionary<string, int>(StringComparer.Ordinal);
        var finished = true;
        for (var round = 0; round < options.Rounds && finished; round++)
        {
            // Each round's tickets are submitted over the stagger; the next round starts when its notices are all out.
            var first = options.Tickets * round / options.Rounds;
            var count = (options.Tickets * (round + 1) / options.Rounds) - first;
            var submitted = await SubmitAsync(app, engine.Client, first, count, options.Stagger, cancellationToken);
            var roundExpected = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var number in submitted)
            {
                roundExpected[number] = expected[number] = ExpectedNotices(await FindAsync(tickets, number, cancellationToken), directory);
            }

            numbers.AddRange(submitted);
            Console.WriteLine($"{(options.Rounds > 1 ? $"Round {round + 1} of {options.Rounds}: s" : "S")}ubmitted {submitted.Count} tickets; "
                + $"the app's escalation rules expect {roundExpected.Values.Sum()} notices.");
            finished = await WaitForNoticesAsync(tickets, mail, roundExpected, expected.Values.Sum(),
                options.Window + options.Stagger + (4 * polling) + TimeSpan.FromSeconds(90), cancellationToken);
        }

        var expectedTotal = expected.Values.Sum();

        // Anything sent twice would arrive now.
        await Task.Delay(TimeSpan.FromSeconds(2) + polling, cancellationToken);
        var stored = new Dictionary<string, Ticket>(StringComparer.Ordinal);
        foreach (var number in numbers)
        {
            stored[number] = await FindAsync(tickets, number, cancellationToken);
        }

        var mails = mail.Mails;
        var lags = mails
            .Select(m => (Mail: m, Number: SubjectToken().Match(m.Subject) is { Success: true } match ? match.Groups["number"].Value : null))
            .Where(m => m.Number is not null && stored.ContainsKey(m.Number))
            .Select(m => (m.Mail.ReceivedAt - stored[m.Number!].SlaDueAt).TotalSeconds)
            .ToList();
        var breaches = stored.Values.Where(t => t.EscalatedAt is not null).Select(t => (t.EscalatedAt!.Value - t.SlaDueAt).TotalSeconds).ToList();
        var duplicates = mails.GroupBy(m => (m.Subject, string.Join(",", m.To))).Sum(g => g.Count() - 1);

        var lag = Stats.Of(lags);
        var breach = Stats.Of(breaches);
        Console.WriteLine();
        Console.WriteLine($"tickets {numbers.Count}   notices {mails.Count} of {expectedTotal} expected   duplicates {duplicates}   polling {Format(polling)}");
        Console.WriteLine($"{"seconds after the SLA deadline",-36}{"n",6}{"p50",8}{"p90",8}{"p99",8}{"max",8}{"min",8}");
        Console.WriteLine(Row("notice received by SendGrid", lag));
        Console.WriteLine(Row("breach recorded on the ticket", breach));
        Console.WriteLine($"p99 within {Target.TotalSeconds:0} s: {(lag.Count > 0 && lag.P99 <= Target.TotalSeconds ? "yes" : "no")}");
        Console.WriteLine("JSON " + JsonSerializer.Serialize(new
        {
            benchmark = "escalation-lag",
            tickets = numbers.Count,
            notices = mails.Count,
            expectedNotices = expectedTotal,
            duplicates,
            pollingInterval = Format(polling),
            pollingSource,
            slaWindow = Format(options.Window),
            stagger = Format(options.Stagger),
            rounds = options.Rounds,
            partitions = engine.PartitionCount,
            lagSeconds = lag.ToJson(),
            breachRecordedSeconds = breach.ToJson(),
            p99WithinTarget = lag.Count > 0 && lag.P99 <= Target.TotalSeconds,
        }));
        return finished && mails.Count == expectedTotal ? 0 : 1;
    }

    /// <summary>Web tickets through the web intake function (the POST /api/tickets trigger), spread evenly over the stagger.</summary>
    private static async Task<List<string>> SubmitAsync(BenchApp app, DurableTaskClient client, int first, int count, TimeSpan stagger,
        CancellationToken cancellationToken)
    {
        var function = ActivatorUtilities.CreateInstance<WebIntakeFunction>(app.Services);
        var numbers = new List<string>();
        var clock = Stopwatch.StartNew();
        var step = count > 1 ? stagger / (count - 1) : TimeSpan.Zero;
        for (var i = first; i < first + count; i++)
        {
            var due = step * (i - first);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, cancellationToken);
            }

            var (subject, description) = Requests[i % Requests.Length];
            var request = WebRequest(new WebTicketRequest(subject, description, null, null, null), $"bench-{i}");
            var result = await function.SubmitWebTicket(request, client, cancellationToken);
            if (result is not JsonResult { StatusCode: StatusCodes.Status201Created, Value: IntakeReceipt receipt })
            {
                throw new InvalidOperationException($"Web intake of ticket {i} answered {(result as JsonResult)?.StatusCode}: {JsonSerializer.Serialize((result as JsonResult)?.Value)}");
            }

            numbers.Add(receipt.TicketNumber);
        }

        return numbers;
    }

    /// <summary>A POST /api/tickets request as App Service authentication hands it to the function.</summary>
    internal static HttpRequest WebRequest(WebTicketRequest body, string idempotencyKey)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, Core.EscalationJson.Options);
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.Path = "/api/tickets";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        context.Request.Headers[ClientPrincipal.HeaderName] = ClientPrincipal.Encode(Requester.Id, Requester.Name, Requester.Email);
        context.Request.Headers[WebIntakeFunction.IdempotencyKeyHeader] = idempotencyKey;
        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    /// <summary>One e-mail per recipient with an address, by the app's own escalation rules.</summary>
    internal static int ExpectedNotices(Ticket ticket, OrgDirectory directory) =>
        EscalationRecipients.For(ticket, directory).Count(r => r.Email is not null);

    /// <summary>Until the mail capture holds <paramref name="total"/> mails and every ticket's history records its notices.</summary>
    private static async Task<bool> WaitForNoticesAsync(TicketStore tickets, MailCapture mail, Dictionary<string, int> expected, int total,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var nextReport = TimeSpan.Zero;
        while (true)
        {
            if (mail.Count >= total)
            {
                var complete = true;
                foreach (var (number, count) in expected)
                {
                    var ticket = await FindAsync(tickets, number, cancellationToken);
                    complete &= ticket.History.Count(h => h.Type == HistoryEntryType.NoticeSent) >= count;
                }

                if (complete)
                {
                    return true;
                }
            }

            if (clock.Elapsed > timeout)
            {
                Console.WriteLine($"Timed out after {clock.Elapsed.TotalSeconds:0} s with {mail.Count} of {total} notices.");
                return false;
            }

            if (clock.Elapsed >= nextReport)
            {
                Console.WriteLine($"  {clock.Elapsed.TotalSeconds,4:0} s: {mail.Count} of {total} notices received");
                nextReport += TimeSpan.FromSeconds(10);
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    private static async Task<Ticket> FindAsync(TicketStore tickets, string number, CancellationToken cancellationToken) =>
        await tickets.FindAsync(number, cancellationToken) ?? throw new InvalidOperationException($"Ticket {number} is not stored.");

    private static string Row(string label, Stats stats) =>
        string.Create(CultureInfo.InvariantCulture, $"{label,-36}{stats.Count,6}{stats.P50,8:0.00}{stats.P90,8:0.00}{stats.P99,8:0.00}{stats.Max,8:0.00}{stats.Min,8:0.00}");

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\[(?<number>[^\]]+)\]")]
    internal static partial Regex SubjectToken();
}
