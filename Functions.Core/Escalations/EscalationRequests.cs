using Ardalis.Result;
using Escalation.Core.Identity;
using Escalation.Core.Notifications;
using Escalation.Core.Organization;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Core.Escalations;

/// <summary>
/// A manager's escalation request. <paramref name="RequesterId"/> is set on the phone path, where a coordinator records
/// the request on the requester's behalf, and on the e-mail path (the authenticated sender); else the caller requests.
/// </summary>
public sealed record EscalationRequestCommand(
    string? TicketNumber,
    Caller Caller,
    string? Justification,
    bool? SlaReviewed,
    EscalationChannel Channel,
    ActionKey Key,
    string? RequesterId = null);

/// <summary>The escalation a request opened (<see cref="Created"/>) or was merged into.</summary>
public sealed record EscalationReceipt(string TicketNumber, EscalationView Escalation, bool Created);

/// <summary>
/// Manager escalation requests, from the web, by e-mail or recorded by a coordinator after a phone call. The rules, each
/// refusing with nothing stored: the ticket must exist (else the requester is told to have the user submit one first);
/// the requester must be in the user's manager chain or the designated point person of the user's VP/Dean area (a
/// manager role alone is not enough); a justification and the confirmed SLA review are required; a resolved ticket
/// is not escalated. A repeated request while one is open is merged into it. Stored first, then signalled to the
/// ticket's orchestration.
/// </summary>
public sealed class EscalationRequests(
    TicketStore tickets,
    DirectoryStore directory,
    IOptions<MailOptions> mailOptions,
    TimeProvider timeProvider,
    ILogger<EscalationRequests> logger)
{
    public const int JustificationMaxLength = 2_000;

    /// <summary>The web form where the user submits a ticket.</summary>
    public const string PortalPath = "/api/portal";

    public const string EntitlementRule =
        "Only the user's managers (their manager chain in the org directory) or the point person their VP or Dean designated may escalate a ticket.";

    /// <summary>What the requester is told when there is no ticket to escalate.</summary>
    public string SubmitTicketFirst =>
        $"Nothing was escalated. Please have the user submit a ticket first, on the web form {PortalPath} or by e-mail to " +
        $"{mailOptions.Value.FromAddress}, then escalate it by its ticket number (e.g. SD-1042).";

    public async Task<Result<EscalationReceipt>> RequestAsync(EscalationRequestCommand command, ITicketWorkflow workflow,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(workflow);
        var errors = new List<ValidationError>();
        var justification = command.Justification?.Trim();
        if (string.IsNullOrEmpty(justification) || justification.Length > JustificationMaxLength)
        {
            errors.Add(Error("justification", $"A business justification of 1 to {JustificationMaxLength} characters is required."));
        }

        if (command.SlaReviewed != true)
        {
            errors.Add(Error("slaReviewed", "Confirm (true) that you and the user reviewed the planned SLA response times."));
        }

        if (command.Channel == EscalationChannel.Phone && string.IsNullOrWhiteSpace(command.RequesterId))
        {
            errors.Add(Error("requesterId", "A phone request names the requester it is recorded for."));
        }

        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        if (command.TicketNumber is null)
        {
            return Result.NotFound($"No ticket number was given. {SubmitTicketFirst}");
        }

        var current = await directory.GetCurrentAsync(cancellationToken);
        if (!current.IsSuccess)
        {
            return Result.Unavailable(current.Errors.ToArray());
        }

        var orgDirectory = current.Value;
        var callerId = orgDirectory.FindCaller(command.Caller.Id, command.Caller.Email)?.Id ?? command.Caller.Id;
        string? recordedBy = null;
        var requesterId = callerId;
        if (command.Channel == EscalationChannel.Phone)
        {
            if (!IsCoordinator(command.Caller, callerId, orgDirectory))
            {
                return Result.Forbidden("Only Escalation Coordinators on the roster record escalation requests made by phone.");
            }

            if (orgDirectory.FindPerson(command.RequesterId) is not { } named)
            {
                return Result.Invalid(Error("requesterId", $"'{command.RequesterId}' is not in the org directory."));
            }

            (requesterId, recordedBy) = (named.Id, callerId);
        }
        else if (command.RequesterId is not null)
        {
            requesterId = command.RequesterId; // the e-mail path: the authenticated sender
        }

        var ticket = await tickets.FindAsync(command.TicketNumber, cancellationToken);
        if (ticket is null)
        {
            return Result.NotFound($"{TicketAccessPolicy.NotFoundMessage(command.TicketNumber)} {SubmitTicketFirst}");
        }

        if (!IsEntitled(ticket, requesterId, orgDirectory))
        {
            // A signed-in user with no part in the ticket learns no more than for a missing one (TicketAccessPolicy.Refuse);
            // an e-mail comes from someone the directory knows, and the answer goes to her own mailbox.
            return command.Channel == EscalationChannel.Web
                && TicketAccessPolicy.HidesTicket(command.Caller, TicketAccessPolicy.RelationshipOf(ticket, command.Caller, orgDirectory))
                ? Result.NotFound($"{TicketAccessPolicy.NotFoundMessage(command.TicketNumber)} {SubmitTicketFirst}")
                : Result.Forbidden($"{EntitlementRule} {requesterId} is neither for ticket {ticket.Number}.");
        }

        var now = timeProvider.GetUtcNow();
        var request = new EscalationRequest(requesterId, orgDirectory.FindPerson(requesterId)?.Name ?? command.Caller.Name, justification!,
            command.Channel, now, recordedBy);
        var fingerprint = Hashing.Sha256Hex(["escalate", ticket.Number, requesterId, justification!, command.Channel.ToString()])[..32];
        var entryId = command.Key.EntryId("escalate", callerId);
        var result = await tickets.UpdateAsync<(ManagerEscalation Escalation, bool Created)>(ticket.Number, t =>
        {
            var replay = t.IsReplay(entryId, fingerprint);
            if (!replay.IsSuccess)
            {
                return Result<(ManagerEscalation Escalation, bool Created)>.Conflict([.. replay.Errors]);
            }

            if (replay.Value)
            {
                var entry = t.History.Find(h => h.Id == entryId)!;
                return (t.FindEscalation(entry.Data!["escalationId"])!, entry.Data.GetValueOrDefault("created") == "true");
            }

            var outcome = EscalationChanges.Request(t, request, entryId, fingerprint);
            if (outcome.IsSuccess)
            {
                var entry = t.History.Find(h => h.Id == entryId)!;
                t.History[t.History.IndexOf(entry)] = entry with
                {
                    Data = new Dictionary<string, string>(entry.Data!, StringComparer.Ordinal) { ["created"] = outcome.Value.Created ? "true" : "false" },
                };
            }

            return outcome;
        }, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Map(_ => (EscalationReceipt)null!);
        }

        var (escalation, created) = result.Value;
        Log.EscalationRequested(logger, ticket.Number, escalation.Id, command.Channel, created);

        // Also for a merge or a retry: starting the coordinator orchestration is idempotent, and the first attempt
        // may have stopped before signalling.
        await workflow.SignalAsync(ticket.Number, new TicketSignal(TicketSignalKind.EscalationRequested, requesterId, now, escalation.Id),
            cancellationToken);
        return new EscalationReceipt(ticket.Number, EscalationView.Of(escalation, TicketVisibility.Public), created);
    }

    /// <summary>In the user's manager chain, or a point person designated for the user's VP/Dean area.</summary>
    public static bool IsEntitled(Ticket ticket, string personId, OrgDirectory orgDirectory)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(orgDirectory);
        return ticket.Requester.PersonId is { } userId
            && userId != personId
            && (orgDirectory.ManagerChain(userId).Any(m => m.Id == personId) || orgDirectory.PointPersonIdsFor(userId).Contains(personId));
    }

    /// <summary>A caller with the coordinator role who is on the directory's coordinator roster.</summary>
    public static bool IsCoordinator(Caller caller, string personId, OrgDirectory orgDirectory)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(orgDirectory);
        return caller.IsInRole(Roles.Coordinator) && orgDirectory.Document.Coordinators.Exists(c => c.PersonId == personId);
    }

    private static ValidationError Error(string field, string message) => new(field, message, null, ValidationSeverity.Error);
}
