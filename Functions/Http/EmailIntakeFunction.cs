using System.Net.Http.Headers;
using System.Text;
using Escalation.Core.Intake;
using Escalation.Core.Intake.Email;
using Escalation.Core.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Escalation.Functions.Http;

/// <summary>
/// The e-mail channel: SendGrid Inbound Parse posts each received e-mail here (multipart/form-data), authenticated
/// by the shared secret as `?key=` or as the basic-auth password.
/// </summary>
public sealed class EmailIntakeFunction(EmailIntake intake, IOptions<IntakeOptions> options, TicketWorkflows workflows)
{
    [Function(nameof(ReceiveEmail))]
    public async Task<IActionResult> ReceiveEmail(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "intake/email")] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken)
    {
        if (!WebhookSignature.SecretMatches(options.Value.EmailWebhookSecret, PresentedSecret(request)))
        {
            return Problems.Create(request, StatusCodes.Status401Unauthorized, "Invalid webhook secret",
                "Append ?key=<secret> to the Inbound Parse URL, or use basic authentication with the secret as password.");
        }

        var (body, problem) = await RequestBody.ReadBytesAsync(request, options.Value.MaxEmailBytes);
        if (body is null)
        {
            return problem!;
        }

        var receipt = await intake.ReceiveAsync(request.ContentType, body, workflows.For(durableClient), cancellationToken);
        return receipt.ToActionResult(request, receipt.IsSuccess && receipt.Value.Disposition == EmailDisposition.Created
            ? StatusCodes.Status201Created
            : StatusCodes.Status200OK);
    }

    private static string? PresentedSecret(HttpRequest request)
    {
        if (request.Query.TryGetValue("key", out var key))
        {
            return key.ToString();
        }

        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var auth)
            && auth.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && auth.Parameter is not null)
        {
            try
            {
                var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(auth.Parameter));
                return credentials[(credentials.IndexOf(':', StringComparison.Ordinal) + 1)..];
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }
}
