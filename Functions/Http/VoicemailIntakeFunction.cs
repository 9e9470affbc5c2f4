using Escalation.Core.Intake;
using Escalation.Core.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Escalation.Functions.Http;

/// <summary>The voicemail channel: the transcription pipeline forwards each transcribed voicemail, signed with the shared secret.</summary>
public sealed class VoicemailIntakeFunction(
    IntakePipeline intake, IOptions<IntakeOptions> options, TimeProvider timeProvider, TicketWorkflows workflows)
{
    /// <summary>Transcripts of long messages are large; the ticket keeps at most the description limit of their text.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    [Function(nameof(ReceiveVoicemail))]
    public async Task<IActionResult> ReceiveVoicemail(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "intake/voicemail")] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var (body, problem) = await RequestBody.ReadSignedAsync(request, MaxBodyBytes, settings.VoicemailSigningSecret, settings.SignatureTolerance,
            timeProvider.GetUtcNow());
        if (body is null)
        {
            return problem!;
        }

        var message = VoicemailTranscription.ReadMessage(body, settings.MinTranscriptConfidence);
        if (!message.IsSuccess)
        {
            return message.ToActionResult(request);
        }

        var result = await intake.SubmitAsync(message.Value, workflows.For(durableClient), cancellationToken);
        return result.ToActionResult(request, result.IsSuccess && result.Value.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }
}
