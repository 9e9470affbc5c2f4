using Ardalis.Result;
using Escalation.Core.Organization;
using Escalation.Core.Routing;
using Escalation.Core.Sla;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Escalation.Core.Conversation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
    IOptions<ConversationOptions> conversationOptions,
    TimeProvider timeProvider,
    ILogger<IntakePipeline> logger)
{
    /// <summary>Starts the history entry of a message whose sender the channel could not prove.</summary>
    public const string UnverifiedNote = "[unverified sender] ";

    public async Task<Result<IntakeReceipt>> SubmitAsync(IntakeMessage message, ITicketWorkflow workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(workflow);
        using var span = EscalationTelemetry.StartTicketActivity("intake", ticketNumber: null, System.Diagnostics.ActivityKind.Server);
        var result = await ReceiveAsync(message, workflow, cancellationToken);
        EscalationTelemetry.IntakeDelivered(message.Channel, result.IsSuccess ? result.Value.Outcome.ToString().ToLowerInvariant() : result.Status.ToString().ToLowerInvariant());
        if (result.IsSuccess)
        {
            span?.SetTag(EscalationTelemetry.TicketNumberTag, result.Value.TicketNumber);
        }

        return result;
    }

    private async Task<Result<IntakeReceipt>> ReceiveAsync(IntakeMessage message, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        message = Normalise(message);
        var errors = Validate(message);
        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        // The key that names "the ticket this message belongs to": its conversation, or the delivery itself.
        var openKey = message.ThreadKey ?? $"{message.Channel}:{message.DeliveryKey}";
        var fingerprint = Fingerprint(message);
        if (message.ReplyToTicket is null && message.ThreadKey is null && directory.HasCachedSnapshot)
        {
            return await OpenAsync(openKey, fingerprint, message, workflow, cancellationToken);
        }

        var current = await directory.GetCurrentAsync(cancellationToken);
        if (!current.IsSuccess)
        {
            return Result.Unavailable(current.Errors.ToArray());
        }

        if (message.ReplyToTicket is { } replyTo && await tickets.FindAsync(replyTo, cancellationToken) is not null)
        {
            return await AppendAsync(replyTo, message, current.Value, workflow, cancellationToken);
        }

        if (message.ThreadKey is null)
        {
            return await OpenAsync(openKey, fingerprint, message, workflow, cancellationToken);
        }

        // A conversation: its first message opens the ticket, the others are added to it.
        var claim = await intakeKeys.FindAsync(openKey, cancellationToken);
        string? allocated = null;
        if (claim is null)
        {
            allocated = TicketNumber.Format(await sequence.NextAsync(cancellationToken));
            claim = await intakeKeys.ClaimAsync(openKey, allocated, fingerprint, cancellationToken);
        }

        var (ticket, created) = await StoreClaimedAsync(claim.TicketNumber, claim.TicketNumber == allocated, message, current.Value, workflow,
            cancellationToken);
        if (created)
        {
            return new IntakeReceipt(ticket.Number, IntakeOutcome.Created);
        }

        if (ticket.ChannelMessageId == message.DeliveryKey)
        {
            Log.DuplicateIntake(logger, ticket.Number);
            return new IntakeReceipt(ticket.Number, IntakeOutcome.Duplicate);
        }

        return await AppendAsync(ticket.Number, message, current.Value, workflow, cancellationToken);
    }

    /// <summary>
    /// A delivery that can only open a ticket (no conversation): allocate a number (the same round trip names the
    /// current directory), claim the delivery key for it, store the ticket: three round trips for a new ticket, none of
    /// them a read. A retried or concurrent delivery loses the claim to the first one and completes that ticket instead;
    /// its own number is skipped (docs/decisions/0009).
    /// </summary>
    private async Task<Result<IntakeReceipt>> OpenAsync(string openKey, string fingerprint, IntakeMessage message, ITicketWorkflow workflow,
        CancellationToken cancellationToken)
    {
        var allocation = await sequence.AllocateAsync(cancellationToken);
        var current = await directory.GetAsync(allocation.Directory, cancellationToken);
        if (!current.IsSuccess)
        {
            return Result.Unavailable(current.Errors.ToArray());
        }

        var number = TicketNumber.Format(allocation.Number);
        var claim = await intakeKeys.ClaimAsync(openKey, number, fingerprint, cancellationToken);
        if (claim.Fingerprint != fingerprint)
        {
            Log.DeliveryKeyReused(logger, message.Channel, claim.TicketNumber);
            return Result.Conflict($"This delivery key was already used for a different request (ticket {claim.TicketNumber}).");
        }

        // Our claim: the number is new, so no ticket and no orchestration can exist for it yet. Someone else's claim: a
        // running orchestration means its ticket is stored (it is started after the ticket), so there is nothing to do.
        if (claim.TicketNumber != number && await workflow.IsRunningAsync(claim.TicketNumber, cancellationToken))
        {
            Log.DuplicateIntake(logger, claim.TicketNumber);
            return new IntakeReceipt(claim.TicketNumber, IntakeOutcome.Duplicate);
        }

        var (ticket, created) = await StoreClaimedAsync(claim.TicketNumber, claim.TicketNumber == number, message, current.Value, workflow,
            cancellationToken);
        if (!created)
        {
            Log.DuplicateIntake(logger, ticket.Number);
        }

        return new IntakeReceipt(ticket.Number, created ? IntakeOutcome.Created : IntakeOutcome.Duplicate);
    }

    /// <summary>
    /// The claimed ticket, stored and with its orchestration running: opened and started when it is not stored yet (a new
    /// ticket, or one whose first delivery stopped after claiming the key), else made sure of. <paramref name="isNew"/>:
    /// the number was allocated just now, so no ticket can exist and there is nothing to read.
    /// </summary>
    private async Task<(Ticket Ticket, bool Created)> StoreClaimedAsync(string ticketNumber, bool isNew, IntakeMessage message,
        OrgDirectory orgDirectory, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        var ticket = isNew ? null : await tickets.FindAsync(ticketNumber, cancellationToken);
        if (ticket is null)
        {
            ticket = Open(ticketNumber, message, orgDirectory);
            if (await tickets.CreateAsync(ticket, cancellationToken))
            {
                await workflow.StartNewAsync(TicketWorkflowState.For(ticket), cancellationToken);
                await workflow.DeliverLaterAsync(ticket.Number, ticket.OwedMessageIds(), cancellationToken);
                Log.TicketOpened(logger, ticket.Number, message.Channel);
                return (ticket, true);
            }

            // A concurrent delivery of the same message stored the ticket first.
            ticket = await tickets.FindAsync(ticketNumber, cancellationToken) ?? throw new InvalidOperationException($"Ticket {ticketNumber} vanished.");
        }

        // The ticket exists: make sure its orchestration does too (an earlier attempt may have stopped before starting it).
        await workflow.EnsureStartedAsync(TicketWorkflowState.For(ticket), cancellationToken);
        return (ticket, false);
    }

    private async Task<Result<IntakeReceipt>> AppendAsync(string ticketNumber, IntakeMessage message, OrgDirectory orgDirectory,
        ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        var sender = FindRequester(message.Requester, orgDirectory);
        var senderId = sender?.Id ?? message.Requester.Email ?? message.Requester.Phone ?? message.Requester.DisplayName ?? "unknown";
        var entryId = $"msg:{Hash($"{message.Channel}:{message.DeliveryKey}")}";
        var now = timeProvider.GetUtcNow();
        Ticket? updated = null;
        var appended = await tickets.UpdateAsync(ticketNumber, ticket =>
        {
            updated = ticket;
            if (ticket.ChannelMessageId == message.DeliveryKey)
            {
                return Result.Success(MessageAppend.Duplicate);
            }

            // Only a sender the channel proved can be the requester: an unverified e-mail neither reopens nor responds.
            var fromRequester = message.SenderVerified && IsRequester(ticket, sender, message.Requester);
            var outcome = ticket.AppendMessage(entryId, senderId, (message.SenderVerified ? string.Empty : UnverifiedNote) + message.Description.Trim(),
                message.SenderVerified && FirstResponsePolicy.Counts(ticket, sender?.Id, orgDirectory, now), now, message.Attachments,
                fromRequester, conversationOptions.Value.ReopenWindow);
            if (outcome != MessageAppend.Duplicate && message.Channel == Channel.Email)
            {
                ticket.AddInboundMailToThread(message.DeliveryKey);
            }

            return Result.Success(outcome);
        }, cancellationToken);
        if (!appended.IsSuccess)
        {
            return appended.Map(_ => new IntakeReceipt(ticketNumber, IntakeOutcome.Duplicate));
        }

        await ConversationFollowUp.AfterMessageAsync(workflow, updated!, appended.Value, new TicketSignal(TicketSignalKind.FirstResponse, senderId, now),
            cancellationToken);
        return new IntakeReceipt(ticketNumber, appended.Value == MessageAppend.Duplicate ? IntakeOutcome.Duplicate : IntakeOutcome.Appended);
    }

    private Ticket Open(string number, IntakeMessage message, OrgDirectory orgDirectory)
    {
        var person = FindRequester(message.Requester, orgDirectory);
        var requester = person is null
            ? new Requester(null, message.Requester.DisplayName ?? message.Requester.Email ?? message.Requester.Phone ?? "unknown",
                message.Requester.Email, message.Requester.Phone, message.Requester.AccountId)
            : new Requester(person.Id, person.Name, person.Email ?? message.Requester.Email, person.Phone ?? message.Requester.Phone);
        var route = RoutingPolicy.Route(orgDirectory.Routing, message.Category, message.Subject, message.Description);
        var flags = message.Flags.ToList();
        if (person is null)
        {
            flags.Insert(0, TicketFlags.UnknownRequester);
        }

        var now = timeProvider.GetUtcNow();
        var ticket = Ticket.Open(number, message.Channel, message.DeliveryKey, requester, message.Subject.Trim(), message.Description.Trim(),
            message.Category?.Trim(), message.Priority, route.Assignment, flags, now, slaPolicy.FirstResponseDue(now, message.Priority));
        foreach (var (key, value) in message.Details)
        {
            ticket.Details[key] = value;
        }

        ticket.Attachments.AddRange(message.Attachments);
        ticket.AcknowledgeByEmail = message.AcknowledgeByEmail && requester.Email is not null;
        if (orgDirectory.FindTeam(route.Assignment.TeamId)?.WantsAssignmentMail == true)
        {
            ticket.OweAssignmentNotice(Ticket.OpeningAssignmentEntryId, "intake", now);
        }

        return ticket;
    }

    /// <summary>Whether the sender is the ticket's requester: the same directory person, or, for an unknown requester, the same address.</summary>
    private static bool IsRequester(Ticket ticket, PersonRecord? sender, RequesterClaim claim) =>
        ticket.Requester.PersonId is { } requesterId
            ? sender?.Id == requesterId
            : claim.Email is not null && string.Equals(claim.Email, ticket.Requester.Email, StringComparison.OrdinalIgnoreCase);

    private static PersonRecord? FindRequester(RequesterClaim claim, OrgDirectory orgDirectory) =>
        orgDirectory.FindPerson(claim.PersonId)
            ?? orgDirectory.FindPersonByEmail(claim.Email)
            ?? orgDirectory.FindPersonByPhone(claim.Phone);

    /// <summary>The values that can reach a mail header (the subject, the requester's name) become one clean line, whatever the channel.</summary>
    private static IntakeMessage Normalise(IntakeMessage message) => message with
    {
        Subject = HeaderText.Normalise(message.Subject),
        Requester = message.Requester with { DisplayName = HeaderText.NormaliseOptional(message.Requester.DisplayName, 200) },
    };

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
        Check(message.ThreadKey is null || (message.ThreadKey.Length > 0 && message.ThreadKey.Length <= IntakeLimits.DeliveryKeyMaxLength),
            "threadKey", $"The thread key must be 1 to {IntakeLimits.DeliveryKeyMaxLength} characters.");
        Check(Enum.IsDefined(message.Priority), "priority", "Unknown priority.");
        return errors;
    }

    private static string Fingerprint(IntakeMessage message) =>
        Hash(message.Requester.PersonId, message.Requester.Email, message.Requester.Phone,
            message.Subject, message.Description, message.Category, message.Priority.ToString());

    private static string Hash(params string?[] parts) => Hashing.Sha256Hex(parts)[..32];
}
