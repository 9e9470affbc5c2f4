using System.Net;
using System.Text.Json;
using Ardalis.Result;
using Escalation.Core.Organization;
using Microsoft.Azure.Cosmos;

namespace Escalation.Core.Storage;

/// <summary>
/// Stores the org directory as a snapshot: the document's JSON split into chunks under a new snapshot id, then one
/// write of the pointer makes it current. Readers see the old or the new directory, never half of each. The pointer
/// is a field of the ticket-number counter (<see cref="TicketSequence"/>), so that allocating a number also says which
/// directory is current and intake needs no read of its own for it (docs/decisions/0009). Each process keeps the
/// snapshot it last read.
/// </summary>
public sealed class DirectoryStore(CosmosStore store, TimeProvider timeProvider)
{
    internal const int ChunkChars = 400_000;

    // The pointer document of earlier versions: still written, so that a rolled-back app reads the same directory,
    // and read when the counter names no snapshot yet (a deployment that has not loaded a directory since).
    private const string PointerPartition = "pointer";
    private const string PointerId = "current";
    private readonly TicketSequence _counter = new(store);
    private volatile CachedDirectory? _cache;

    /// <summary>Whether this process holds a directory snapshot (then intake can resolve the allocation's snapshot without a read).</summary>
    public bool HasCachedSnapshot => _cache is not null;

    /// <summary>Validates a directory document and, when it is valid, makes it the current directory.</summary>
    public async Task<Result<DirectoryLoaded>> LoadAsync(OrgDirectoryDocument document, CancellationToken cancellationToken = default)
    {
        var directory = OrgDirectory.Create(document);
        if (!directory.IsSuccess)
        {
            return Result.Invalid(directory.ValidationErrors.ToList());
        }

        var snapshotId = await SaveAsync(directory.Value, cancellationToken);
        return new DirectoryLoaded(snapshotId, document.People.Count, document.Teams.Count, document.ItAreas.Count, document.Divisions.Count);
    }

    /// <summary>Stores a validated directory and makes it current; returns the new snapshot id.</summary>
    private async Task<string> SaveAsync(OrgDirectory directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var json = JsonSerializer.Serialize(directory.Document, EscalationJson.Options);
        var snapshotId = $"{timeProvider.GetUtcNow():yyyyMMddHHmmssfff}-{Guid.NewGuid():N}";
        var chunks = json.Chunk(ChunkChars).Select(chars => new string(chars)).ToList();
        for (var i = 0; i < chunks.Count; i++)
        {
            await store.Directory.UpsertItemAsync(new Chunk($"{snapshotId}-{i}", snapshotId, i, chunks[i]), new PartitionKey(snapshotId),
                new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken);
        }

        var previous = await CurrentSnapshotAsync(cancellationToken);
        var snapshot = new DirectorySnapshot(snapshotId, chunks.Count, timeProvider.GetUtcNow());
        await _counter.SetDirectoryAsync(snapshot, cancellationToken);
        await store.Directory.UpsertItemAsync(new Pointer(PointerId, PointerPartition, snapshotId, chunks.Count, snapshot.LoadedAt),
            new PartitionKey(PointerPartition), new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken);
        _cache = new CachedDirectory(snapshotId, directory);
        if (previous is not null && previous.SnapshotId != snapshotId)
        {
            await DeleteSnapshotAsync(previous, cancellationToken);
        }

        return snapshotId;
    }

    /// <summary>The current directory; not found until ops have loaded one.</summary>
    public async Task<Result<OrgDirectory>> GetCurrentAsync(CancellationToken cancellationToken = default) =>
        await GetAsync(await CurrentSnapshotAsync(cancellationToken), cancellationToken);

    /// <summary>
    /// The directory of <paramref name="snapshot"/> (as a ticket-number allocation names it): no round trip when this
    /// process holds that snapshot already. Null: the current one, read from the store.
    /// </summary>
    public async Task<Result<OrgDirectory>> GetAsync(DirectorySnapshot? snapshot, CancellationToken cancellationToken = default)
    {
        snapshot ??= await CurrentSnapshotAsync(cancellationToken);
        if (snapshot is null)
        {
            return Result.NotFound("The org directory has not been loaded yet (PUT /api/directory).");
        }

        // The snapshot itself is read once per process. Two callers racing on a new snapshot both read it, which is harmless.
        if (_cache is { } cached && cached.SnapshotId == snapshot.SnapshotId)
        {
            return cached.Directory;
        }

        OrgDirectory directory;
        try
        {
            directory = await ReadSnapshotAsync(snapshot, cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // The snapshot is gone: a previous version of the app (a rollback) loaded a directory through the old pointer.
            if (await ReadPointerAsync(cancellationToken) is not { } pointer || pointer.SnapshotId == snapshot.SnapshotId)
            {
                throw;
            }

            snapshot = pointer.ToSnapshot();
            directory = await ReadSnapshotAsync(snapshot, cancellationToken);
        }

        _cache = new CachedDirectory(snapshot.SnapshotId, directory);
        return directory;
    }

    private async Task<DirectorySnapshot?> CurrentSnapshotAsync(CancellationToken cancellationToken) =>
        await _counter.ReadDirectoryAsync(cancellationToken) ?? (await ReadPointerAsync(cancellationToken))?.ToSnapshot();

    private async Task<OrgDirectory> ReadSnapshotAsync(DirectorySnapshot pointer, CancellationToken cancellationToken)
    {
        var json = new System.Text.StringBuilder();
        for (var i = 0; i < pointer.Chunks; i++)
        {
            var chunk = await store.Directory.ReadItemAsync<Chunk>($"{pointer.SnapshotId}-{i}", new PartitionKey(pointer.SnapshotId),
                cancellationToken: cancellationToken);
            json.Append(chunk.Resource.Content);
        }

        var document = JsonSerializer.Deserialize<OrgDirectoryDocument>(json.ToString(), EscalationJson.Options)
            ?? throw new InvalidOperationException($"Directory snapshot {pointer.SnapshotId} is empty.");
        // It was validated before it was stored; validate again so that a damaged snapshot fails loudly here.
        var directory = OrgDirectory.Create(document);
        return directory.IsSuccess
            ? directory.Value
            : throw new InvalidOperationException($"Directory snapshot {pointer.SnapshotId} is invalid: {string.Join("; ", directory.ValidationErrors.Select(e => e.ErrorMessage))}");
    }

    private async Task<Pointer?> ReadPointerAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await store.Directory.ReadItemAsync<Pointer>(PointerId, new PartitionKey(PointerPartition), cancellationToken: cancellationToken)).Resource;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task DeleteSnapshotAsync(DirectorySnapshot pointer, CancellationToken cancellationToken)
    {
        for (var i = 0; i < pointer.Chunks; i++)
        {
            try
            {
                await store.Directory.DeleteItemAsync<Chunk>($"{pointer.SnapshotId}-{i}", new PartitionKey(pointer.SnapshotId),
                    cancellationToken: cancellationToken);
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // Already gone: a concurrent load cleaned it up.
            }
        }
    }

    public sealed record DirectoryLoaded(string SnapshotId, int People, int Teams, int ItAreas, int Divisions);

    private sealed record CachedDirectory(string SnapshotId, OrgDirectory Directory);

    private sealed record Chunk(string Id, string Snapshot, int Index, string Content);

    private sealed record Pointer(string Id, string Snapshot, string SnapshotId, int Chunks, DateTimeOffset LoadedAt)
    {
        public DirectorySnapshot ToSnapshot() => new(SnapshotId, Chunks, LoadedAt);
    }
}
