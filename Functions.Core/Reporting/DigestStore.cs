using System.Net;
using Escalation.Core.Storage;
using Microsoft.Azure.Cosmos;

namespace Escalation.Core.Reporting;

/// <summary>The digest claims in the reporting container (partition key /id).</summary>
public sealed class DigestStore(CosmosStore store)
{
    /// <summary>The claims of the weeks starting on or after <paramref name="weekStart"/>: one query on the indexed kind and day.</summary>
    public async Task<IReadOnlyList<DigestDelivery>> SinceAsync(DateOnly weekStart, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.kind = @kind AND c.day >= @from")
            .WithParameter("@kind", DigestDelivery.Kind)
            .WithParameter("@from", DayDocument.Format(weekStart));
        var items = new List<DigestDelivery>();
        using var pages = store.Reporting.GetItemQueryIterator<DigestDelivery>(query, requestOptions: new QueryRequestOptions { MaxItemCount = 500 });
        while (pages.HasMoreResults)
        {
            items.AddRange(await pages.ReadNextAsync(cancellationToken));
        }

        return items;
    }

    /// <summary>Creates the claim unless it exists; either way returns the stored one (the first writer's Message-ID wins).</summary>
    public async Task<DigestDelivery> CreateIfAbsentAsync(DigestDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        try
        {
            return (await store.Reporting.CreateItemAsync(delivery, new PartitionKey(delivery.Id), cancellationToken: cancellationToken)).Resource;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return (await store.Reporting.ReadItemAsync<DigestDelivery>(delivery.Id, new PartitionKey(delivery.Id),
                cancellationToken: cancellationToken)).Resource;
        }
    }

    /// <summary>Writes the claim if nobody wrote it since it was read; the stored version, or null when another writer came first.</summary>
    public async Task<DigestDelivery?> TryReplaceAsync(DigestDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        try
        {
            return (await store.Reporting.ReplaceItemAsync(delivery, delivery.Id, new PartitionKey(delivery.Id),
                new ItemRequestOptions { IfMatchEtag = delivery.ETag }, cancellationToken)).Resource;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            return null;
        }
    }
}
