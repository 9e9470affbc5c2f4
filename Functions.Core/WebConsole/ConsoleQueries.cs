using Ardalis.Result;
using Escalation.Core.Escalations;
using Escalation.Core.Identity;
using Escalation.Core.Reporting;
using Escalation.Core.Sla;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;

namespace Escalation.Core.WebConsole;

/// <summary>What the console shows next to a ticket: its SLA clock and the agent actions the caller may take.</summary>
public sealed record TicketConsoleView(string TicketNumber, SlaClockView Sla, IReadOnlyList<TicketAction> Actions);

/// <summary>The reads only the browser console needs: the caller's profile, the escalation queue, a ticket's clock and actions.</summary>
public sealed class ConsoleQueries(DirectoryStore directory, IEscalationQueue queue, TicketStore tickets, SlaClock clock, TimeProvider timeProvider)
{
    private static readonly TicketAction[] TicketActionsOffered =
        [TicketAction.Respond, TicketAction.AddNote, TicketAction.Reassign, TicketAction.Resolve, TicketAction.ReplyAsRequester];

    public async Task<Result<ConsoleProfile>> ProfileAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        var current = await directory.GetCurrentAsync(cancellationToken);
        return current.IsSuccess ? ConsoleProfile.For(caller, current.Value) : Result<ConsoleProfile>.Unavailable([.. current.Errors]);
    }

    /// <summary>The open escalations within the caller's report scope; forbidden for people who may see no report.</summary>
    public async Task<Result<IReadOnlyList<QueuedEscalation>>> QueueAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var current = await directory.GetCurrentAsync(cancellationToken);
        if (!current.IsSuccess)
        {
            return Result<IReadOnlyList<QueuedEscalation>>.Unavailable([.. current.Errors]);
        }

        return ReportScope.For(caller, current.Value) is { } scope
            ? Result<IReadOnlyList<QueuedEscalation>>.Success(await queue.OpenAsync(scope, cancellationToken))
            : Result<IReadOnlyList<QueuedEscalation>>.Forbidden(
                "The escalation queue is for coordinators, managers and leads, and for agents (their own tickets).");
    }

    /// <summary>The SLA clock and allowed actions of a ticket the caller may read (the same rule as reading the ticket).</summary>
    public async Task<Result<TicketConsoleView>> TicketAsync(string ticketNumber, Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await tickets.FindAsync(ticketNumber, cancellationToken) is not { } ticket)
        {
            return Result<TicketConsoleView>.NotFound(TicketAccessPolicy.NotFoundMessage(ticketNumber));
        }

        var current = await directory.GetCurrentAsync(cancellationToken);
        var relationship = TicketAccessPolicy.RelationshipOf(ticket, caller, current.IsSuccess ? current.Value : null);
        var visibility = TicketAccessPolicy.Visibility(relationship);
        if (visibility == TicketVisibility.None)
        {
            return TicketAccessPolicy.Refuse<TicketConsoleView>(ticketNumber, caller, relationship,
                $"Only the requester's side and the staff involved may read ticket {ticketNumber}.");
        }

        var now = timeProvider.GetUtcNow();
        return new TicketConsoleView(ticket.Number, clock.Of(TicketView.Of(ticket, now, visibility), now),
            [.. TicketActionsOffered.Where(action => TicketAccessPolicy.Allows(action, relationship))]);
    }
}
