using Ardalis.Result;
using Escalation.Core.Intake;
using Escalation.Core.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Functions.Http;

/// <summary>The chat channel: the chat platform's bot forwards each message, signed with the shared secret.</summary>
public sealed class ChatIntakeFunction(
    IntakePipeline intake, IOptions<IntakeOptions> options, TimeProvider timeProvider, ILogger<ChatIntakeFunction> logger)
{
    public const long MaxBodyBytes = 64 * 1024;

    [Function(nameof(ReceiveChatMessage))]
    public async Task<IActionResult> ReceiveChatMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "intake/chat")] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await RequestBody.ReadBytesAsync(request, MaxBodyBytes);
        if (body is null)
        {
            return problem!;
        }

        var settings = options.Value;
        if (WebhookSignature.Verify(settings.ChatSigningSecret, request.Headers[WebhookSignature.SignatureHeader],
                request.Headers[WebhookSignature.TimestampHeader], body, timeProvider.GetUtcNow(), settings.SignatureTolerance) is { } reason)
        {
            return Problems.Create(request, StatusCodes.Status401Unauthorized, "Invalid signature", reason);
        }

        var message = ChatWebhook.ReadMessage(body);
        if (!message.IsSuccess)
        {
            return message.ToActionResult(request);
        }

        var result = await intake.SubmitAsync(message.Value, new TicketWorkflow(durableClient, logger), cancellationToken);
        return result.Map(receipt => ChatIntakeResponse.For(receipt, message.Value))
            .ToActionResult(request, result.IsSuccess && result.Value.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }
}
