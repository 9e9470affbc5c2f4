using System.Net;
using Microsoft.Azure.Cosmos;

namespace Escalation.Core.Storage;

/// <summary>
/// Allocates ticket numbers from a counter document with Cosmos DB's atomic patch increment: no read-modify-write
/// race, no retries under concurrency (docs/decisions/0001). Numbers of failed intakes are skipped, never reused.
/// </summary>
public sealed class TicketSequence(CosmosStore store)
{
    internal const string CounterId = "ticket-number";

    /// <summary>Numbers start above this so that every ticket number has at least four digits.</summary>
    internal const long Seed = 1000;

    public async Task<long> NextAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await IncrementAsync(cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            await CreateCounterAsync(cancellationToken);
            return await IncrementAsync(cancellationToken);
        }
    }

    private async Task<long> IncrementAsync(CancellationToken cancellationToken)
    {
        var response = await store.Sequences.PatchItemAsync<Counter>(
            CounterId, new PartitionKey(CounterId), [PatchOperation.Increment("/value", 1)], cancellationToken: cancellationToken);
        return response.Resource.Value;
    }

    private async Task CreateCounterAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.Sequences.CreateItemAsync(new Counter(CounterId, Seed), new PartitionKey(CounterId), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // Another instance created it first.
        }
    }

    private sealed record Counter(string Id, long Value);
}
