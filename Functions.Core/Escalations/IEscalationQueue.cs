using Escalation.Core.Reporting;
using Escalation.Core.Tickets;

namespace Escalation.Core.Escalations;

/// <summary>An open manager escalation as the coordinator queue and the weekly digest show it.</summary>
public sealed record QueuedEscalation(string TicketNumber, string Subject, string? TeamId, string? AgentId, EscalationView Escalation);

/// <summary>The open manager escalations the caller may see, the nearest acknowledgement deadline first.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The coordinators' work queue, not a collection type.")]
public interface IEscalationQueue
{
    Task<IReadOnlyList<QueuedEscalation>> OpenAsync(ReportScope scope, CancellationToken cancellationToken);
}
