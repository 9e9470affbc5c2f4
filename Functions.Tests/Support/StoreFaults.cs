using System.Net;
using Microsoft.Azure.Cosmos;

namespace Escalation.Tests.Support;

/// <summary>
/// A Cosmos request handler that answers the next N matching requests itself with a throttling or outage status,
/// before they reach the server (so the SDK's own retries do not hide them).
/// </summary>
internal sealed class StoreFaults : RequestHandler
{
    private int _failuresLeft;
    private HttpStatusCode _status;
    private Func<RequestMessage, bool> _matches = _ => true;

    public int Injected { get; private set; }

    /// <summary>Fails the next <paramref name="count"/> requests that <paramref name="matches"/> (default: every request).</summary>
    public void FailNext(int count, HttpStatusCode status = HttpStatusCode.ServiceUnavailable, Func<RequestMessage, bool>? matches = null)
    {
        _matches = matches ?? (_ => true);
        _status = status;
        Volatile.Write(ref _failuresLeft, count);
    }

    /// <summary>Requests that write a ticket document (create, replace, patch).</summary>
    public static bool TicketWrite(RequestMessage request) =>
        request.Method != HttpMethod.Get && request.RequestUri.OriginalString.Contains("/colls/tickets", StringComparison.Ordinal);

    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        if (_matches(request) && Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            Injected++;
            return new ResponseMessage(_status, request, errorMessage: $"injected {(int)_status}");
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
