using System.Net;
using Microsoft.Azure.Cosmos;

namespace Escalation.Core.Storage;

/// <summary>
/// Allocates ticket numbers from a counter document with Cosmos DB's atomic patch increment: no read-modify-write
/// race, no retries under concurrency (docs/decisions/0001). Numbers of failed intakes are skipped, never reused.
/// The counter document also names the current directory snapshot, so the one round trip that allocates a number
/// tells intake which directory is current (docs/decisions/0009).
/// </summary>
public sealed class TicketSequence(CosmosStore store)
{
    internal const string CounterId = "ticket-number";

    /// <summary>Numbers start above this so that every ticket number has at least four digits.</summary>
    internal const long Seed = 1000;

    public async Task<long> NextAsync(CancellationToken cancellationToken = default) =>
        (await AllocateAsync(cancellationToken)).Number;

    /// <summary>The next ticket number, and the directory snapshot that was current when it was allocated.</summary>
    public async Task<TicketAllocation> AllocateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await IncrementAsync(cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            await CreateCounterAsync(directory: null, cancellationToken);
            return await IncrementAsync(cancellationToken);
        }
    }

    /// <summary>The directory snapshot the counter names; null before a directory was loaded into it.</summary>
    internal async Task<DirectorySnapshot?> ReadDirectoryAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await store.Sequences.ReadItemAsync<Counter>(CounterId, new PartitionKey(CounterId), cancellationToken: cancellationToken))
                .Resource.Directory;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Makes <paramref name="directory"/> the current snapshot: one atomic patch, beside the number, never touching it.</summary>
    internal async Task SetDirectoryAsync(DirectorySnapshot directory, CancellationToken cancellationToken)
    {
        try
        {
            await SetAsync(directory, cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            if (!await CreateCounterAsync(directory, cancellationToken))
            {
                await SetAsync(directory, cancellationToken);
            }
        }
    }

    private async Task SetAsync(DirectorySnapshot directory, CancellationToken cancellationToken) =>
        await store.Sequences.PatchItemAsync<Counter>(CounterId, new PartitionKey(CounterId), [PatchOperation.Set("/directory", directory)],
            new PatchItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken);

    private async Task<TicketAllocation> IncrementAsync(CancellationToken cancellationToken)
    {
        var response = await store.Sequences.PatchItemAsync<Counter>(
            CounterId, new PartitionKey(CounterId), [PatchOperation.Increment("/value", 1)], cancellationToken: cancellationToken);
        return new TicketAllocation(response.Resource.Value, response.Resource.Directory);
    }

    /// <summary>False when another instance created it first.</summary>
    private async Task<bool> CreateCounterAsync(DirectorySnapshot? directory, CancellationToken cancellationToken)
    {
        try
        {
            await store.Sequences.CreateItemAsync(new Counter(CounterId, Seed, directory), new PartitionKey(CounterId),
                new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    private sealed record Counter(string Id, long Value, DirectorySnapshot? Directory);
}

/// <summary>A ticket number and the directory snapshot current when it was allocated (null before any was loaded).</summary>
public sealed record TicketAllocation(long Number, DirectorySnapshot? Directory);

/// <summary>Names a complete directory snapshot: its id and how many chunks it has.</summary>
public sealed record DirectorySnapshot(string SnapshotId, int Chunks, DateTimeOffset LoadedAt);
