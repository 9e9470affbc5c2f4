using System.Collections.Concurrent;
using Microsoft.Azure.Cosmos;

namespace Escalation.Tests.Support;

/// <summary>A Cosmos request handler that records every round trip of the app's client ("POST tickets 201", "PATCH sequences 200").</summary>
internal sealed class CosmosCalls : RequestHandler
{
    private readonly ConcurrentQueue<string> _calls = new();

    public IReadOnlyList<string> All => [.. _calls];

    public void Clear() => _calls.Clear();

    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var segments = request.RequestUri.OriginalString.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var colls = Array.IndexOf(segments, "colls");
        var container = colls >= 0 && colls + 1 < segments.Length ? segments[colls + 1] : "(database)";
        _calls.Enqueue($"{request.Method.Method} {container} {(int)response.StatusCode}");
        return response;
    }
}
