using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Azure.Cosmos;

namespace Escalation.Benchmarks;

/// <summary>One round trip of the app's Cosmos client, as its request pipeline saw it.</summary>
internal sealed record CosmosCall(DateTimeOffset At, string Kind, string Container, int Status, double RequestCharge, long RequestBytes, long ResponseBytes)
{
    /// <summary>"create tickets 201", "patch sequences 200", ...</summary>
    public string Label => string.Create(CultureInfo.InvariantCulture, $"{Kind} {Container} {Status}");
}

/// <summary>
/// A Cosmos request handler (first in the app's pipeline, through <c>CosmosStore</c>'s handlers) that records every
/// request the app's client sends: its kind, container, status, request charge (<c>x-ms-request-charge</c>) and body sizes.
/// </summary>
internal sealed class CosmosCallCounter : RequestHandler
{
    private readonly ConcurrentQueue<CosmosCall> _calls = new();

    public IReadOnlyList<CosmosCall> Between(DateTimeOffset from, DateTimeOffset to) =>
        [.. _calls.Where(c => c.At >= from && c.At < to)];

    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var at = DateTimeOffset.UtcNow;
        var requestBytes = request.Content is { CanSeek: true } content ? content.Length : 0;
        var response = await base.SendAsync(request, cancellationToken);
        var responseBytes = response.Content is { CanSeek: true } body ? body.Length : 0;
        _calls.Enqueue(new CosmosCall(at, Kind(request), Container(request.RequestUri.OriginalString), (int)response.StatusCode,
            response.Headers.RequestCharge, requestBytes, responseBytes));
        return response;
    }

    private static string Kind(RequestMessage request)
    {
        var uri = request.RequestUri.OriginalString.TrimEnd('/');
        var onItem = uri.Contains("/docs/", StringComparison.Ordinal);
        var header = (string name) => request.Headers[name];
        return request.Method.Method switch
        {
            "GET" when onItem => "read",
            "GET" => "read-feed",
            "POST" when string.Equals(header("x-ms-documentdb-isquery"), "True", StringComparison.OrdinalIgnoreCase)
                || string.Equals(header("x-ms-cosmos-is-query-plan-request"), "True", StringComparison.OrdinalIgnoreCase) => "query",
            "POST" when string.Equals(header("x-ms-documentdb-is-upsert"), "True", StringComparison.OrdinalIgnoreCase) => "upsert",
            "POST" when uri.EndsWith("/docs", StringComparison.Ordinal) => "create",
            "POST" => "post",
            "PUT" => "replace",
            "PATCH" => "patch",
            "DELETE" => "delete",
            var other => other.ToLowerInvariant(),
        };
    }

    /// <summary>The container of "dbs/{db}/colls/{container}/docs/{id}", or the resource kind for other requests.</summary>
    private static string Container(string uri)
    {
        var segments = uri.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var colls = Array.IndexOf(segments, "colls");
        return colls >= 0 && colls + 1 < segments.Length ? Uri.UnescapeDataString(segments[colls + 1]) : segments.Length > 0 ? segments[^1] : "(account)";
    }
}
