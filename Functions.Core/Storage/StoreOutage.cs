using System.Net;
using Microsoft.Azure.Cosmos;

namespace Escalation.Core.Storage;

/// <summary>
/// Tells a passing store outage (throttling, unavailability, a timeout, a write that lost every optimistic-concurrency
/// race) from a defect, and how long a caller should wait before trying again.
/// </summary>
public static class StoreOutage
{
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    public static bool IsTransient(Exception exception) => exception switch
    {
        CosmosException cosmos => cosmos.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
            or HttpStatusCode.RequestTimeout or HttpStatusCode.PreconditionFailed or HttpStatusCode.Gone
            or HttpStatusCode.InternalServerError,
        CosmosOperationCanceledException or TimeoutException or HttpRequestException => true,
        _ => false,
    };

    /// <summary>What the store asked for (Cosmos throttling says how long), else a short default; whole seconds, at least one.</summary>
    public static int RetryAfterSeconds(Exception exception)
    {
        var wait = (exception as CosmosException)?.RetryAfter ?? DefaultRetryAfter;
        return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
    }
}
