using Escalation.Core.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace Escalation.Functions.Http;

/// <summary>
/// An HTTP function that meets a store outage answers 503 problem details with Retry-After, so clients (and the
/// webhooks' senders) retry later, instead of a bare 500. Nothing was lost: every intake and action step is idempotent.
/// </summary>
internal sealed partial class StoreOutageMiddleware(ILogger<StoreOutageMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context);
        }
        catch (Exception e) when (StoreOutage.IsTransient(e) && context.GetHttpContext() is not null)
        {
            var http = context.GetHttpContext()!;
            var retryAfter = StoreOutage.RetryAfterSeconds(e);
            StoreUnavailable(logger, context.FunctionDefinition.Name, e.GetType().Name, e);
            http.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var problem = Problems.Create(http.Request, StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                $"The ticket store is unavailable or busy; try again in {retryAfter} s (a retry with the same Idempotency-Key completes the request once).");
            await problem.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor()));
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "{Function} answered 503: the store is unavailable ({Error})")]
    private static partial void StoreUnavailable(ILogger logger, string function, string error, Exception exception);
}
