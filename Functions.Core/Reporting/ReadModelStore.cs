using System.Net;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Microsoft.Azure.Cosmos;

namespace Escalation.Core.Reporting;

/// <summary>The documents of the reporting container (ADR 10) and the tickets' change feed that feeds them.</summary>
public sealed class ReadModelStore(CosmosStore store)
{
    /// <summary>The day documents from <paramref name="from"/> to <paramref name="to"/>: one query, one item per day.</summary>
    public async Task<IReadOnlyList<DayDocument>> DaysAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        await ReadAllAsync<DayDocument>(Period(DayDocument.Kind, from, to), cancellationToken);

    /// <summary>The day summaries from <paramref name="from"/> to <paramref name="to"/>: one query, a few kilobytes per day.</summary>
    public async Task<IReadOnlyList<DaySummaryDocument>> SummariesAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        await ReadAllAsync<DaySummaryDocument>(Period(DaySummaryDocument.Kind, from, to), cancellationToken);

    /// <summary>The days (yyyy-MM-dd) that have a day document.</summary>
    public async Task<IReadOnlyList<string>> StoredDaysAsync(CancellationToken cancellationToken) =>
        await ReadAllAsync<string>(new QueryDefinition("SELECT VALUE c.day FROM c WHERE c.kind = @kind").WithParameter("@kind", DayDocument.Kind),
            cancellationToken);

    public Task<DayDocument?> DayAsync(string id, CancellationToken cancellationToken) => FindAsync<DayDocument>(id, cancellationToken);

    public async Task<PendingDocument> PendingAsync(CancellationToken cancellationToken) =>
        await FindAsync<PendingDocument>(PendingDocument.DocumentId, cancellationToken) ?? new PendingDocument();

    public Task<CheckpointDocument?> CheckpointAsync(CancellationToken cancellationToken) =>
        FindAsync<CheckpointDocument>(CheckpointDocument.DocumentId, cancellationToken);

    /// <summary>Writes a day document, then its summary recomputed from it (a crash between is repaired by the replay).</summary>
    public async Task SaveAsync(DayDocument day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(day);
        await store.Reporting.UpsertItemAsync(day, new PartitionKey(day.Id), NoContent, cancellationToken);
        var summary = DaySummaryDocument.Of(day);
        await store.Reporting.UpsertItemAsync(summary, new PartitionKey(summary.Id), NoContent, cancellationToken);
    }

    public Task SaveAsync(PendingDocument pending, CancellationToken cancellationToken) =>
        store.Reporting.UpsertItemAsync(pending, new PartitionKey(pending.Id), NoContent, cancellationToken);

    /// <summary>Deletes a day's summary, then the day document (so no summary outlives its day).</summary>
    public async Task DeleteDayAsync(string day, CancellationToken cancellationToken)
    {
        await DeleteAsync(DaySummaryDocument.IdFor(day), cancellationToken);
        await DeleteAsync(DayDocument.IdFor(day), cancellationToken);
    }

    /// <summary>
    /// Writes the checkpoint if nobody wrote it since <paramref name="expected"/> was read (null: if it does not
    /// exist yet); the stored version, or null when another writer came first.
    /// </summary>
    public async Task<CheckpointDocument?> TryWriteCheckpointAsync(CheckpointDocument checkpoint, CheckpointDocument? expected,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        try
        {
            var response = expected is null
                ? await store.Reporting.CreateItemAsync(checkpoint, new PartitionKey(checkpoint.Id), cancellationToken: cancellationToken)
                : await store.Reporting.ReplaceItemAsync(checkpoint, checkpoint.Id, new PartitionKey(checkpoint.Id),
                    new ItemRequestOptions { IfMatchEtag = expected.ETag }, cancellationToken);
            return response.Resource;
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed)
        {
            return null;
        }
    }

    /// <summary>The tickets' change feed from a continuation (null: from the beginning), latest version of each ticket.</summary>
    public FeedIterator<Ticket> TicketChanges(string? continuation, int pageSize) =>
        store.Tickets.GetChangeFeedIterator<Ticket>(
            continuation is null ? ChangeFeedStartFrom.Beginning() : ChangeFeedStartFrom.ContinuationToken(continuation),
            ChangeFeedMode.LatestVersion,
            new ChangeFeedRequestOptions { PageSizeHint = pageSize });

    /// <summary>A continuation at the current end of the change feed: what a rebuild resumes from.</summary>
    public async Task<string> ChangeFeedEndAsync(CancellationToken cancellationToken)
    {
        using var feed = store.Tickets.GetChangeFeedIterator<Ticket>(ChangeFeedStartFrom.Now(), ChangeFeedMode.LatestVersion);
        var page = await feed.ReadNextAsync(cancellationToken);
        return page.ContinuationToken;
    }

    /// <summary>Every stored ticket, page by page (the rebuild).</summary>
    public async IAsyncEnumerable<IReadOnlyList<Ticket>> AllTicketsAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var pages = store.Tickets.GetItemQueryIterator<Ticket>(new QueryDefinition("SELECT * FROM c"),
            requestOptions: new QueryRequestOptions { MaxItemCount = 500 });
        while (pages.HasMoreResults)
        {
            yield return [.. await pages.ReadNextAsync(cancellationToken)];
        }
    }

    private static QueryDefinition Period(string kind, DateOnly from, DateOnly to) =>
        new QueryDefinition("SELECT * FROM c WHERE c.kind = @kind AND c.day >= @from AND c.day <= @to")
            .WithParameter("@kind", kind)
            .WithParameter("@from", DayDocument.Format(from))
            .WithParameter("@to", DayDocument.Format(to));

    private static readonly ItemRequestOptions NoContent = new() { EnableContentResponseOnWrite = false };

    private async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await store.Reporting.DeleteItemAsync<object>(id, new PartitionKey(id), NoContent, cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Gone already.
        }
    }

    private async Task<T?> FindAsync<T>(string id, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return (await store.Reporting.ReadItemAsync<T>(id, new PartitionKey(id), cancellationToken: cancellationToken)).Resource;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<List<T>> ReadAllAsync<T>(QueryDefinition query, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        using var pages = store.Reporting.GetItemQueryIterator<T>(query, requestOptions: new QueryRequestOptions { MaxItemCount = 1000 });
        while (pages.HasMoreResults)
        {
            items.AddRange(await pages.ReadNextAsync(cancellationToken));
        }

        return items;
    }
}
