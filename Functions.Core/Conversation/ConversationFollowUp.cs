using Escalation.Core.Tickets;
using Escalation.Core.Workflow;

namespace Escalation.Core.Conversation;

/// <summary>What follows a change to a ticket's conversation, once it is stored: the orchestrations it concerns.</summary>
public static class ConversationFollowUp
{
    /// <summary>
    /// Starts the delivery of every message the ticket still owes. Also after a retried request that changed nothing:
    /// the first attempt may have stopped between storing and starting (a delivery already running is left alone).
    /// </summary>
    public static Task DeliverOwedAsync(ITicketWorkflow workflow, Ticket ticket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(ticket);
        var owed = ticket.OwedMessageIds();
        return owed.Count == 0 ? Task.CompletedTask : workflow.DeliverAsync(ticket.Number, owed, cancellationToken);
    }

    /// <summary>
    /// After a message was added by a channel or the reply form: the first response stops the SLA clock, a reopened
    /// ticket gets its orchestration back (started again from the document, ADR 7), and owed messages go out.
    /// </summary>
    public static async Task AfterMessageAsync(ITicketWorkflow workflow, Ticket ticket, MessageAppend outcome, TicketSignal firstResponse,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(ticket);
        if (outcome == MessageAppend.FirstResponse)
        {
            await workflow.SignalAsync(ticket.Number, firstResponse, cancellationToken);
        }
        else if (outcome == MessageAppend.Reopened)
        {
            await workflow.EnsureStartedAsync(TicketWorkflowState.For(ticket), cancellationToken);
        }

        await DeliverOwedAsync(workflow, ticket, cancellationToken);
    }
}
