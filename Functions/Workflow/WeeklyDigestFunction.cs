using Escalation.Core.Reporting;
using Microsoft.Azure.Functions.Worker;

namespace Escalation.Functions.Workflow;

/// <summary>
/// Every hour, sends the weekly digest to the ITS managers and area leads once its day and hour have come
/// (Reporting:DigestDay, Reporting:DigestHour in the business time zone), and retries digests still pending. Sending
/// twice is harmless: each recipient's digest is claimed once per week (ADR 11).
/// </summary>
public sealed class WeeklyDigestFunction(WeeklyDigest digest)
{
    [Function(nameof(SendWeeklyDigests))]
    public async Task SendWeeklyDigests([TimerTrigger("0 0 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        _ = await digest.RunAsync(cancellationToken);
}
