using Escalation.Core;
using Escalation.Core.Escalations;
using Escalation.Core.Identity;
using Escalation.Core.Intake;
using Escalation.Core.Tickets;
using Escalation.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Tests.Support;

/// <summary>Drives manager escalations through the HTTP functions of a <see cref="TestApp"/> with Durable, and waits on their state.</summary>
internal sealed class EscalationHarness(TestApp app)
{
    public static readonly Caller Paul = HttpCall.Person("prof-paul", Roles.Manager);
    public static readonly Caller Cora = HttpCall.Person("coord-cora", Roles.Coordinator);
    public static readonly Caller Carl = HttpCall.Person("coord-carl", Roles.Coordinator);
    public const string Justification = """{"justification":"Grant deadline tomorrow; the user cannot work.","slaReviewed":true}""";

    private EscalationFunctions Functions => ActivatorUtilities.CreateInstance<EscalationFunctions>(app.Services);

    public async Task<string> SubmitAsync(string subject = "Laptop will not boot", string? category = null, string requesterId = "user-ursula")
    {
        var message = new IntakeMessage(Channel.Web, Guid.NewGuid().ToString(), new RequesterClaim(requesterId, requesterId), subject,
            "Details of the problem.", category);
        var receipt = await app.Get<IntakePipeline>().SubmitAsync(message, app.Workflow);
        receipt.IsSuccess.ShouldBeTrue(string.Join("; ", receipt.Errors));
        return receipt.Value.TicketNumber;
    }

    public Task<HttpOutcome> RequestAsync(string number, Caller? caller = null, string body = Justification, string? key = null) =>
        CallAsync("POST", $"/api/tickets/{number}/escalations", body, caller ?? Paul, key,
            (f, r) => f.RequestEscalation(r, number, app.Durable!.Client, default));

    /// <summary>A coordinator action: acknowledge, steps/{n}, waive, eta, close, reassign.</summary>
    public Task<HttpOutcome> ActAsync(string number, string escalationId, string action, Caller caller, string? body = null, string? key = null)
    {
        var client = app.Durable!.Client;
        Func<EscalationFunctions, HttpRequest, Task<IActionResult>> call = action switch
        {
            "acknowledge" => (f, r) => f.AcknowledgeEscalation(r, number, escalationId, client, default),
            "waive" => (f, r) => f.WaiveEscalationStep(r, number, escalationId, client, default),
            "eta" => (f, r) => f.SendEscalationEta(r, number, escalationId, client, default),
            "close" => (f, r) => f.CloseEscalation(r, number, escalationId, client, default),
            "reassign" => (f, r) => f.ReassignEscalation(r, number, escalationId, client, default),
            _ when action.StartsWith("steps/", StringComparison.Ordinal) =>
                (f, r) => f.CompleteEscalationStep(r, number, escalationId, action[6..], client, default),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
        return CallAsync("POST", $"/api/tickets/{number}/escalations/{escalationId}/{action}", body, caller, key, call);
    }

    public Task<HttpOutcome> GetAsync(string number, string escalationId, Caller caller) =>
        CallAsync("GET", $"/api/tickets/{number}/escalations/{escalationId}", null, caller, null,
            (f, r) => f.GetEscalation(r, number, escalationId, default));

    /// <summary>Waits until the ticket's escalation satisfies the condition.</summary>
    public async Task<ManagerEscalation> WaitForAsync(string number, Func<ManagerEscalation, bool> condition, string escalationId = "E1",
        TimeSpan? timeout = null)
    {
        var ticket = await app.WaitForTicketAsync(number, t => t.FindEscalation(escalationId) is { } e && condition(e), timeout ?? TimeSpan.FromSeconds(40));
        return ticket.FindEscalation(escalationId)!;
    }

    /// <summary>Waits until the escalation's outbox is empty, i.e. every owed mail and event went out.</summary>
    public Task<ManagerEscalation> WaitForOutboxAsync(string number, Func<ManagerEscalation, bool>? also = null, string escalationId = "E1") =>
        WaitForAsync(number, e => e.Outbox.All(o => o.DoneAt is not null) && (also?.Invoke(e) ?? true), escalationId);

    /// <summary>Waits on the coordinator orchestration's custom status.</summary>
    public async Task<EscalationProgress> WaitForProgressAsync(string number, Func<EscalationProgress, bool> condition, string escalationId = "E1")
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        while (true)
        {
            var instance = await app.Durable!.Client.GetInstanceAsync(EscalationWorkflow.InstanceId(number, escalationId), getInputsAndOutputs: true);
            var progress = instance?.SerializedCustomStatus is { } status
                ? System.Text.Json.JsonSerializer.Deserialize<EscalationProgress>(status, EscalationJson.Options)
                : null;
            if (progress is not null && condition(progress))
            {
                return progress;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"escalation {number} {escalationId}: {Describe(instance)}");
            }

            await Task.Delay(100);
        }

        static string Describe(OrchestrationMetadata? instance) => $"{instance?.RuntimeStatus} {instance?.SerializedCustomStatus}";
    }

    public async Task<OrchestrationRuntimeStatus?> RuntimeStatusAsync(string number, string escalationId = "E1") =>
        (await app.Durable!.Client.GetInstanceAsync(EscalationWorkflow.InstanceId(number, escalationId)))?.RuntimeStatus;

    public IReadOnlyList<CapturedMail> MailsTo(string address) =>
        [.. app.SendGrid.Mails.Where(m => m.To.Contains(address, StringComparer.OrdinalIgnoreCase))];

    private async Task<HttpOutcome> CallAsync(string method, string path, string? body, Caller caller, string? key,
        Func<EscalationFunctions, HttpRequest, Task<IActionResult>> function)
    {
        var headers = key is null ? null : new Dictionary<string, string> { ["Idempotency-Key"] = key };
        var request = HttpCall.Request(method, path, body, caller, headers: headers);
        return await HttpCall.ExecuteAsync(request, await function(Functions, request));
    }
}
