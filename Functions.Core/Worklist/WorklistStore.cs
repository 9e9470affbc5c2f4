using System.Net;
using Escalation.Core.Storage;
using Microsoft.Azure.Cosmos;

namespace Escalation.Core.Worklist;

/// <summary>The worklist entries of the open tickets in Cosmos DB (container "worklist", one entry per ticket, one logical partition).</summary>
public sealed class WorklistStore(CosmosStore store)
{
    private static readonly PartitionKey Open = new(WorklistEntry.OpenPartition);

    /// <summary>Makes the ticket's entry what <paramref name="entry"/> says: stored when open, gone when resolved (null).</summary>
    public async Task ApplyAsync(string ticketNumber, WorklistEntry? entry, CancellationToken cancellationToken = default)
    {
        if (entry is not null)
        {
            await store.Worklist.UpsertItemAsync(entry, Open,
                new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken);
            return;
        }

        try
        {
            await store.Worklist.DeleteItemAsync<WorklistEntry>(ticketNumber, Open, cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Never in the worklist, or already removed: nothing to do.
        }
    }

    public async Task<(IReadOnlyList<WorklistEntry> Entries, string? Continuation)> PageAsync(QueryDefinition query, string? continuation, int pageSize,
        CancellationToken cancellationToken = default)
    {
        using var pages = store.Worklist.GetItemQueryIterator<WorklistEntry>(query, continuation,
            new QueryRequestOptions { MaxItemCount = pageSize, PartitionKey = Open });
        if (!pages.HasMoreResults)
        {
            return ([], null);
        }

        var page = await pages.ReadNextAsync(cancellationToken);
        return ([.. page], page.ContinuationToken);
    }

    /// <summary>Runs a <see cref="WorklistQuery.Counts"/> query: each view's count by name (0 where the sum found nothing).</summary>
    public async Task<Dictionary<string, int>> CountsAsync(QueryDefinition query, IEnumerable<string> names, CancellationToken cancellationToken = default)
    {
        using var pages = store.Worklist.GetItemQueryIterator<Dictionary<string, double?>>(query, requestOptions: new QueryRequestOptions { PartitionKey = Open });
        var sums = new Dictionary<string, double?>(StringComparer.Ordinal);
        while (pages.HasMoreResults)
        {
            foreach (var row in await pages.ReadNextAsync(cancellationToken))
            {
                foreach (var (name, value) in row)
                {
                    sums[name] = (sums.GetValueOrDefault(name) ?? 0) + (value ?? 0);
                }
            }
        }

        return names.ToDictionary(name => name, name => (int)(sums.GetValueOrDefault(name) ?? 0), StringComparer.Ordinal);
    }
}
