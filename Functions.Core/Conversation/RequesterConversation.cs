using Ardalis.Result;
using Escalation.Core.Identity;
using Escalation.Core.Organization;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Core.Workflow;
using Microsoft.Extensions.Options;

namespace Escalation.Core.Conversation;

/// <summary>
/// A ticket as its requester's list shows it: nothing the public view would not show. <see cref="WaitingForYou"/>: the
/// desk replied last and the ticket is open, so it is her turn.
/// </summary>
public sealed record RequesterTicket(
    string TicketNumber,
    string Subject,
    TicketStatus Status,
    Channel Channel,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastPublicActivityAt,
    bool WaitingForYou);

/// <summary>One page of "my tickets"; <see cref="Continuation"/> asks for the next one (null: this was the last).</summary>
public sealed record MyTicketsPage(IReadOnlyList<RequesterTicket> Tickets, string? Continuation);

public sealed record RequesterReplyCommand(string TicketNumber, Caller Requester, string Message, ActionKey Key);

/// <summary>
/// The requester's side of the conversation in the console: her own tickets, newest activity first, and her replies,
/// which are messages on the ticket like an e-mail reply (the holder is told once per burst; an answer to the
/// resolution within the reopen window reopens the ticket).
/// </summary>
public sealed class RequesterConversation(
    TicketStore tickets,
    DirectoryStore directory,
    IOptions<ConversationOptions> options,
    TimeProvider timeProvider)
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;

    public async Task<Result<MyTicketsPage>> MyTicketsAsync(Caller caller, string? continuation, int pageSize = DefaultPageSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (pageSize is < 1 or > MaxPageSize)
        {
            return Invalid<MyTicketsPage>("pageSize", $"The page size is 1 to {MaxPageSize}.");
        }

        if (!ContinuationToken.TryDecode(continuation, out var token))
        {
            return Result<MyTicketsPage>.Invalid(ContinuationToken.Invalid);
        }

        var person = (await CurrentDirectoryAsync(cancellationToken))?.FindCaller(caller.Id, caller.Email);

        try
        {
            var (found, next) = await tickets.RequestedByAsync(person?.Id, caller, token, pageSize, cancellationToken);
            return new MyTicketsPage(found, next is null ? null : ContinuationToken.Encode(next));
        }
        catch (Microsoft.Azure.Cosmos.CosmosException e) when (token is not null && e.StatusCode == System.Net.HttpStatusCode.BadRequest)
        {
            return Result<MyTicketsPage>.Invalid(ContinuationToken.Invalid);
        }
    }

    public async Task<Result<TicketView>> ReplyAsync(RequesterReplyCommand command, ITicketWorkflow workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(workflow);
        if (string.IsNullOrWhiteSpace(command.Message) || command.Message.Length > TicketActions.MessageMaxLength)
        {
            return Invalid<TicketView>("message", $"A message of 1 to {TicketActions.MessageMaxLength} characters is required.");
        }

        var orgDirectory = await CurrentDirectoryAsync(cancellationToken);
        var personId = orgDirectory?.FindCaller(command.Requester.Id, command.Requester.Email)?.Id ?? command.Requester.Id;
        var entryId = command.Key.EntryId("reply", personId);
        var message = command.Message.Trim();
        var fingerprint = Hashing.Sha256Hex("reply", message)[..32];
        var now = timeProvider.GetUtcNow();
        var window = options.Value.ReopenWindow;
        var outcome = MessageAppend.Duplicate;
        var result = await tickets.UpdateAsync<Ticket>(command.TicketNumber, ticket =>
        {
            var relationships = TicketAccessPolicy.RelationshipOf(ticket, command.Requester, orgDirectory);
            if (!TicketAccessPolicy.Allows(TicketAction.ReplyAsRequester, relationships))
            {
                return TicketAccessPolicy.Refuse<Ticket>(command.TicketNumber, command.Requester, relationships, $"Only the requester of ticket {command.TicketNumber} may reply to it here.");
            }

            var replay = ticket.IsReplay(entryId, fingerprint);
            if (!replay.IsSuccess || replay.Value)
            {
                return replay.Map(_ => ticket);
            }

            if (ticket.IsResolved && now - ticket.ResolvedAt > window)
            {
                return Result<Ticket>.Conflict(
                    $"Ticket {command.TicketNumber} was resolved more than {window.TotalDays:0.#} days ago and cannot be reopened; please open a new ticket.");
            }

            outcome = ticket.AppendMessage(entryId, personId, message, countsAsFirstResponse: false, now, fromRequester: true, reopenWindow: window,
                fingerprint: fingerprint);
            return Result<Ticket>.Success(ticket);
        }, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Map(_ => (TicketView)null!);
        }

        await ConversationFollowUp.AfterMessageAsync(workflow, result.Value, outcome, new TicketSignal(TicketSignalKind.FirstResponse, personId, now),
            cancellationToken);
        return TicketView.Of(result.Value, timeProvider.GetUtcNow(), TicketVisibility.Public, orgDirectory is null ? null : orgDirectory.NameOf);
    }

    private async Task<OrgDirectory?> CurrentDirectoryAsync(CancellationToken cancellationToken)
    {
        var current = await directory.GetCurrentAsync(cancellationToken);
        return current.IsSuccess ? current.Value : null;
    }

    private static Result<T> Invalid<T>(string field, string message) =>
        Result<T>.Invalid(new ValidationError(field, message, null, ValidationSeverity.Error));
}
