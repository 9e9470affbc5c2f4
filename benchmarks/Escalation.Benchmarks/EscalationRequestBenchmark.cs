using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Escalation.Core.Escalations;
using Escalation.Core.Identity;
using Escalation.Core.Intake;
using Escalation.Core.Storage;
using Escalation.Core.Workflow;
using Escalation.Functions.Http;
using Escalation.Functions.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Benchmarks;

/// <summary>
/// How long a manager escalation takes from the POST of the request to the assigned coordinator's e-mail: open
/// tickets (an SLA window of an hour, so nothing breaches), then one escalation request per ticket from the user's
/// manager through the escalation function, spread over the stagger.
/// </summary>
internal static class EscalationRequestBenchmark
{
    /// <summary>p99 target from the manager escalation issue.</summary>
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(3);

    private static readonly Caller Ursula = new("user-ursula", "Ursula User", "ursula.user@example.edu", new HashSet<string>());
    private static readonly Caller Paul = new("prof-paul", "Prof. Paul Chen", "paul.chen@example.edu", new HashSet<string>());

    public static async Task<int> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var polling = options.Polling ?? HostJson.MaxQueuePollingInterval();
        Console.WriteLine($"Escalation requests: {options.Tickets} tickets, one request each over {options.Stagger:c}, "
            + $"maxQueuePollingInterval {polling:c}");

        await using var servers = await LocalServers.StartAsync(azuriteDebugLog: null, cancellationToken);
        await using var mail = await MailCapture.StartAsync(cancellationToken);
        await using var app = await BenchApp.StartAsync(servers, mail, TimeSpan.FromHours(1), cancellationToken);
        await app.LoadDemoDirectoryAsync(cancellationToken);
        await using var engine = await AzureStorageDurableEngine.StartAsync(servers.StorageConnectionString, "escalationreq", polling,
            ActivatorUtilities.CreateInstance<TicketOrchestrationFunctions>(app.Services),
            ActivatorUtilities.CreateInstance<EscalationOrchestrationFunctions>(app.Services), cancellationToken);

        var pipeline = app.Get<IntakePipeline>();
        var workflow = app.Get<TicketWorkflows>().For(engine.Client);
        var numbers = new List<string>();
        for (var i = 0; i < options.Tickets; i++)
        {
            var receipt = await pipeline.SubmitAsync(new IntakeMessage(Core.Tickets.Channel.Web, $"user-ursula:esc-{i}",
                new RequesterClaim(Ursula.Id, Ursula.Name, Ursula.Email), $"Lab instrument offline {i}", "The lab cannot run."), workflow,
                cancellationToken);
            numbers.Add(receipt.Value.TicketNumber);
        }

        // Let the ticket orchestrations start and their queues go quiet, as they are when a manager escalates.
        await Task.Delay(TimeSpan.FromSeconds(10) + polling, cancellationToken);
        var function = ActivatorUtilities.CreateInstance<EscalationFunctions>(app.Services);
        var posted = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var step = numbers.Count > 1 ? options.Stagger / (numbers.Count - 1) : TimeSpan.Zero;
        for (var i = 0; i < numbers.Count; i++)
        {
            if (step * i > clock.Elapsed)
            {
                await Task.Delay((step * i) - clock.Elapsed, cancellationToken);
            }

            posted[numbers[i]] = DateTimeOffset.UtcNow;
            var result = await function.RequestEscalation(Request(numbers[i]), numbers[i], engine.Client, cancellationToken);
            if (result is not JsonResult { StatusCode: StatusCodes.Status202Accepted })
            {
                throw new InvalidOperationException($"Escalating {numbers[i]} answered {(result as JsonResult)?.StatusCode}: "
                    + JsonSerializer.Serialize((result as JsonResult)?.Value));
            }
        }

        var assigned = await WaitForAssignmentMailsAsync(mail, numbers, TimeSpan.FromSeconds(120), cancellationToken);
        var seconds = numbers.Where(assigned.ContainsKey).Select(n => (assigned[n] - posted[n]).TotalSeconds).ToList();
        var stats = Stats.Of(seconds);
        Console.WriteLine();
        Console.WriteLine($"requests {numbers.Count}   coordinator e-mails {assigned.Count}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"seconds from POST to the coordinator's e-mail",-46}{stats.Count,6}{stats.P50,8:0.00}{stats.P90,8:0.00}{stats.P99,8:0.00}{stats.Max,8:0.00}"));
        Console.WriteLine($"p99 within {Target.TotalSeconds:0} s: {(stats.Count > 0 && stats.P99 <= Target.TotalSeconds ? "yes" : "no")}");
        Console.WriteLine("JSON " + JsonSerializer.Serialize(new
        {
            benchmark = "escalation-request",
            requests = numbers.Count,
            coordinatorMails = assigned.Count,
            pollingInterval = polling.ToString("c", CultureInfo.InvariantCulture),
            seconds = stats.ToJson(),
            p99WithinTarget = stats.Count > 0 && stats.P99 <= Target.TotalSeconds,
        }));
        return assigned.Count == numbers.Count ? 0 : 1;
    }

    /// <summary>When the first "assigned to you" e-mail of each ticket arrived.</summary>
    private static async Task<Dictionary<string, DateTimeOffset>> WaitForAssignmentMailsAsync(MailCapture mail, List<string> numbers,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var assigned = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            foreach (var captured in mail.Mails.Where(m => m.Subject.Contains(" assigned to you", StringComparison.Ordinal)))
            {
                var number = numbers.Find(n => captured.Subject.StartsWith($"[{n}]", StringComparison.Ordinal));
                if (number is not null && !assigned.ContainsKey(number))
                {
                    assigned[number] = captured.ReceivedAt;
                }
            }

            if (assigned.Count == numbers.Count || clock.Elapsed > timeout)
            {
                return assigned;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>A POST /api/tickets/{number}/escalations by the user's manager, as App Service authentication hands it over.</summary>
    private static HttpRequest Request(string number)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new { justification = "The lab cannot run its experiments.", slaReviewed = true });
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.Path = $"/api/tickets/{number}/escalations";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        context.Request.Headers[ClientPrincipal.HeaderName] = ClientPrincipal.Encode(Paul.Id, Paul.Name, Paul.Email);
        context.Request.Headers[WebIntakeFunction.IdempotencyKeyHeader] = $"escalate-{number}";
        context.Response.Body = new MemoryStream();
        return context.Request;
    }
}
