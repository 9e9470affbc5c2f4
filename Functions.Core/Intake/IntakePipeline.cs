using System.Security.Cryptography;
using System.Text;
using Ardalis.Result;
using Escalation.Core.Organization;
using Escalation.Core.Routing;
using Escalation.Core.Sla;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Microsoft.Extensions.Logging;

namespace Escalation.Core.Intake;

/// <summary>
/// The intake every channel shares: validate, de-duplicate, route, persist, start the orchestration. Each step is
/// idempotent, so a retried delivery (or a crash between steps) finishes the same ticket instead of opening another.
/// </summary>
public sealed class IntakePipeline(
    TicketStore tickets,
    IntakeKeyStore intakeKeys,
    TicketSequence sequence,
    DirectoryStore directory,
    SlaPolicy slaPolicy,
    TimeProvider timeProvider,
    ILogger<IntakePipeline> logger)
{
    public async Task<Result<IntakeReceipt>> SubmitAsync(IntakeMessage message, ITicketWorkflow workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(workflow);
        var errors = Validate(message);
        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        var key = $"{message.Channel}:{message.DeliveryKey}";
        var fingerprint = Fingerprint(message);
        var claim = await intakeKeys.FindAsync(key, cancellationToken);
        if (claim is null)
        {
            var current = await directory.GetCurrentAsync(cancellationToken);
            if (!current.IsSuccess)
            {
                return Result.Unavailable(current.Errors.ToArray());
            }

            claim = await intakeKeys.ClaimAsync(key, TicketNumber.Format(await sequence.NextAsync(cancellationToken)), fingerprint, cancellationToken);
        }

        if (claim.Fingerprint != fingerprint)
        {
            return Result.Conflict($"This delivery key was already used for a different request (ticket {claim.TicketNumber}).");
        }

        var ticket = await tickets.FindAsync(claim.TicketNumber, cancellationToken);
        var created = false;
        if (ticket is null)
        {
            var current = await directory.GetCurrentAsync(cancellationToken);
            if (!current.IsSuccess)
            {
                return Result.Unavailable(current.Errors.ToArray());
            }

            ticket = Open(claim.TicketNumber, message, current.Value);
            created = await tickets.CreateAsync(ticket, cancellationToken);
            if (!created)
            {
                ticket = await tickets.FindAsync(claim.TicketNumber, cancellationToken) ?? ticket;
            }
        }

        await workflow.EnsureStartedAsync(TicketWorkflowState.For(ticket), cancellationToken);
        if (created)
        {
            Log.TicketOpened(logger, ticket.Number, message.Channel);
        }
        else
        {
            Log.DuplicateIntake(logger, ticket.Number);
        }

        return new IntakeReceipt(ticket.Number, created);
    }

    private Ticket Open(string number, IntakeMessage message, OrgDirectory orgDirectory)
    {
        var person = orgDirectory.FindPerson(message.Requester.PersonId)
            ?? orgDirectory.FindPersonByEmail(message.Requester.Email)
            ?? orgDirectory.FindPersonByPhone(message.Requester.Phone);
        var requester = person is null
            ? new Requester(null, message.Requester.DisplayName ?? message.Requester.Email ?? message.Requester.Phone ?? "unknown",
                message.Requester.Email, message.Requester.Phone)
            : new Requester(person.Id, person.Name, person.Email ?? message.Requester.Email, person.Phone ?? message.Requester.Phone);
        var route = RoutingPolicy.Route(orgDirectory.Routing, message.Category, message.Subject, message.Description);
        var now = timeProvider.GetUtcNow();
        return Ticket.Open(number, message.Channel, message.DeliveryKey, requester, message.Subject.Trim(), message.Description.Trim(),
            message.Category?.Trim(), message.Priority, route.Assignment, needsTriage: person is null, now,
            slaPolicy.FirstResponseDue(now, message.Priority));
    }

    private static List<ValidationError> Validate(IntakeMessage message)
    {
        var errors = new List<ValidationError>();
        void Check(bool ok, string field, string error)
        {
            if (!ok)
            {
                errors.Add(new ValidationError(field, error, null, ValidationSeverity.Error));
            }
        }

        Check(!string.IsNullOrWhiteSpace(message.Subject), "subject", "A subject is required.");
        Check((message.Subject?.Length ?? 0) <= IntakeLimits.SubjectMaxLength, "subject", $"The subject is longer than {IntakeLimits.SubjectMaxLength} characters.");
        Check(!string.IsNullOrWhiteSpace(message.Description), "description", "A description is required.");
        Check((message.Description?.Length ?? 0) <= IntakeLimits.DescriptionMaxLength, "description", $"The description is longer than {IntakeLimits.DescriptionMaxLength} characters.");
        Check((message.Category?.Length ?? 0) <= IntakeLimits.CategoryMaxLength, "category", $"The category is longer than {IntakeLimits.CategoryMaxLength} characters.");
        Check(!string.IsNullOrWhiteSpace(message.DeliveryKey) && message.DeliveryKey.Length <= IntakeLimits.DeliveryKeyMaxLength,
            "idempotencyKey", $"The delivery key must be 1 to {IntakeLimits.DeliveryKeyMaxLength} characters.");
        Check(Enum.IsDefined(message.Priority), "priority", "Unknown priority.");
        return errors;
    }

    private static string Fingerprint(IntakeMessage message) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\u001f', message.Requester.PersonId, message.Requester.Email, message.Requester.Phone,
                message.Subject, message.Description, message.Category, message.Priority))));
}
