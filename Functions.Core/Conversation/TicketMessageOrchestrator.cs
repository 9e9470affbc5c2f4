using Escalation.Core.Workflow;
using Microsoft.DurableTask;

namespace Escalation.Core.Conversation;

/// <summary>One message the ticket owes (an <see cref="Tickets.OutgoingMessage"/>), to deliver.</summary>
public sealed record OutgoingRef(string TicketNumber, string OutgoingId);

/// <summary>
/// Delivers one message of a ticket's conversation: one activity, retried through provider and store outages for up to
/// a week like every activity of the ticket orchestration. Its own orchestration, not a step of the ticket's, so a
/// reply goes out whatever the ticket orchestration's version and after the ticket is resolved (ADR 13).
/// </summary>
public sealed class TicketMessageOrchestrator : TaskOrchestrator<OutgoingRef, string>
{
    public const string Name = "TicketMessageOrchestrator";
    public const string DeliverActivity = "DeliverTicketMessage";

    private static readonly TaskOptions ActivityRetry = TaskOptions.FromRetryPolicy(TicketOrchestrator.ActivityRetryPolicy);

    /// <summary>One instance per message: a repeated start while it runs is refused, so the message is worked once at a time.</summary>
    public static string InstanceId(OutgoingRef message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return $"message-{message.TicketNumber}-{Hashing.Sha256Hex(message.OutgoingId)[..16]}";
    }

    public override async Task<string> RunAsync(TaskOrchestrationContext context, OutgoingRef input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            await context.CallActivityAsync(DeliverActivity, input, ActivityRetry);
            return $"{input.OutgoingId} delivered";
        }
        catch (TaskFailedException e)
        {
            // Still pending on the ticket: the repair sweep starts it again (ADR 7); ops are alerted on this event.
            Log.MessageNotSent(context.CreateReplaySafeLogger<TicketMessageOrchestrator>(), input.OutgoingId, input.TicketNumber,
                e.FailureDetails.ErrorMessage);
            return $"{input.OutgoingId} not delivered";
        }
    }
}
