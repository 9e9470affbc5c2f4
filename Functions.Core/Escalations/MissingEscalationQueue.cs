using Escalation.Core.Reporting;

namespace Escalation.Core.Escalations;

/// <summary>
/// Stands in until the open-escalation queue (the coordinator console's) is registered: registered with TryAdd after
/// everything else, so the real one replaces it by being registered at all. A digest that needs it stays pending and
/// is retried by the next run, rather than going out without its escalations.
/// </summary>
internal sealed class MissingEscalationQueue : IEscalationQueue
{
    public Task<IReadOnlyList<QueuedEscalation>> OpenAsync(ReportScope scope, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("No open-escalation queue (IEscalationQueue) is registered.");
}
