using Ardalis.Result;
using Escalation.Core.Intake;
using Escalation.Core.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Escalation.Functions.Http;

/// <summary>The chat channel: the chat platform's bot forwards each message, signed with the shared secret.</summary>
public sealed class ChatIntakeFunction(
    IntakePipeline intake, IOptions<IntakeOptions> options, TimeProvider timeProvider, TicketWorkflows workflows)
{
    public const long MaxBodyBytes = 64 * 1024;

    [Function(nameof(ReceiveChatMessage))]
    public async Task<IActionResult> ReceiveChatMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "intake/chat")] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var (body, problem) = await RequestBody.ReadSignedAsync(request, MaxBodyBytes, settings.ChatSigningSecret, settings.SignatureTolerance,
            timeProvider.GetUtcNow());
        if (body is null)
        {
            return problem!;
        }

        var message = ChatWebhook.ReadMessage(body);
        if (!message.IsSuccess)
        {
            return message.ToActionResult(request);
        }

        var result = await intake.SubmitAsync(message.Value, workflows.For(durableClient), cancellationToken);
        return result.Map(receipt => ChatIntakeResponse.For(receipt, message.Value))
            .ToActionResult(request, result.IsSuccess && result.Value.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }
}
