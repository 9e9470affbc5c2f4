using Escalation.Core.Identity;
using Escalation.Core.Notifications;
using Escalation.Core.Storage;
using Microsoft.Extensions.Options;

namespace Escalation.Core;

public sealed record HealthReport(string Status, IReadOnlyDictionary<string, string> Checks);

/// <summary>What ops (and a newcomer) need to know at a glance: is the store reachable, is the directory loaded, what is disabled.</summary>
public sealed class HealthCheck(
    CosmosStore store,
    DirectoryStore directory,
    ITicketEventPublisher eventPublisher,
    IOptions<MailOptions> mailOptions,
    HostingPlatform platform,
    IOptions<AuthOptions> authOptions,
    Workflow.OrchestrationStarter starter)
{
    public const string Healthy = "healthy";

    /// <summary>Running, but the org directory is not loaded yet, so intake answers 503 until ops load it.</summary>
    public const string Degraded = "degraded";

    /// <summary>The store is unreachable.</summary>
    public const string Unhealthy = "unhealthy";

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        var checks = new Dictionary<string, string>(StringComparer.Ordinal);
        string status;
        try
        {
            await store.Tickets.Database.ReadAsync(cancellationToken: cancellationToken);
            checks["cosmos"] = "ok";
            var current = await directory.GetCurrentAsync(cancellationToken);
            checks["directory"] = current.IsSuccess ? "loaded" : "not loaded: load it with PUT /api/directory";
            status = current.IsSuccess ? Healthy : Degraded;
        }
#pragma warning disable CA1031 // Health reports any failure of the store instead of failing itself.
        catch (Exception e)
#pragma warning restore CA1031
        {
            checks["cosmos"] = $"unreachable: {e.GetType().Name}";
            checks["directory"] = "unknown";
            status = Unhealthy;
        }

        // New tickets whose orchestration this instance has still to schedule (ADR 12); it should stay near 0.
        checks["orchestrationStarts"] = $"{starter.Queued} queued";
        checks["serviceBus"] = eventPublisher.IsEnabled ? "enabled" : "disabled: no ServiceBus namespace configured, events are not published";
        checks["authentication"] = platform.Describe(authOptions.Value);
        checks["mail"] = mailOptions.Value.SendGridBaseUrl == MailOptions.SendGridHost ? "sendgrid" : $"capture at {mailOptions.Value.SendGridBaseUrl}";
        return new HealthReport(status, checks);
    }
}
