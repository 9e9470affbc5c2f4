using System.Net;
using Escalation.Core.Storage;
using Microsoft.Azure.Cosmos;

namespace Escalation.Core.Worklist;

/// <summary>The worklist entries of the open tickets in Cosmos DB (container "worklist", one entry per ticket).</summary>
public sealed class WorklistStore(CosmosStore store)
{
    /// <summary>Makes the ticket's entry what <paramref name="entry"/> says: stored when open, gone when resolved (null).</summary>
    public async Task ApplyAsync(string ticketNumber, WorklistEntry? entry, CancellationToken cancellationToken = default)
    {
        if (entry is not null)
        {
            await store.Worklist.UpsertItemAsync(entry, new PartitionKey(ticketNumber),
                new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken);
            return;
        }

        try
        {
            await store.Worklist.DeleteItemAsync<WorklistEntry>(ticketNumber, new PartitionKey(ticketNumber), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Never in the worklist, or already removed: nothing to do.
        }
    }

    public async Task<(IReadOnlyList<WorklistEntry> Entries, string? Continuation)> PageAsync(QueryDefinition query, string? continuation, int pageSize,
        CancellationToken cancellationToken = default)
    {
        using var pages = store.Worklist.GetItemQueryIterator<WorklistEntry>(query, continuation, new QueryRequestOptions { MaxItemCount = pageSize });
        if (!pages.HasMoreResults)
        {
            return ([], null);
        }

        var page = await pages.ReadNextAsync(cancellationToken);
        return ([.. page], page.ContinuationToken);
    }

    public async Task<int> CountAsync(QueryDefinition query, CancellationToken cancellationToken = default)
    {
        using var pages = store.Worklist.GetItemQueryIterator<int>(query);
        var count = 0;
        while (pages.HasMoreResults)
        {
            count += (await pages.ReadNextAsync(cancellationToken)).Sum();
        }

        return count;
    }
}
