using System.Net;
using Microsoft.Azure.Cosmos;

namespace Escalation.Core.Storage;

/// <summary>
/// Maps a channel message id (or a client's idempotency key) to the one ticket it created, so a re-delivered message
/// finds its ticket instead of opening a second one.
/// </summary>
public sealed class IntakeKeyStore(CosmosStore store)
{
    /// <summary>
    /// Records that <paramref name="key"/> belongs to <paramref name="ticketNumber"/> unless it already belongs to a
    /// ticket; returns the owner either way. <paramref name="fingerprint"/> summarises the request's content, so a key
    /// reused for a different request can be told apart from a retry.
    /// </summary>
    public async Task<IntakeKey> ClaimAsync(string key, string ticketNumber, string fingerprint, CancellationToken cancellationToken = default)
    {
        var claim = new IntakeKey(DocumentId(key), key, ticketNumber, fingerprint);
        try
        {
            await store.IntakeKeys.CreateItemAsync(claim, new PartitionKey(claim.Id),
                new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken);
            return claim;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return (await FindAsync(key, cancellationToken))!;
        }
    }

    public async Task<IntakeKey?> FindAsync(string key, CancellationToken cancellationToken = default)
    {
        var id = DocumentId(key);
        try
        {
            return (await store.IntakeKeys.ReadItemAsync<IntakeKey>(id, new PartitionKey(id), cancellationToken: cancellationToken)).Resource;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Keys come from outside (Message-IDs contain '/', '#', ...), which Cosmos ids may not: hash them.</summary>
    /// <summary>Gives a claim up (its work could not be done), so that a retry can claim it again.</summary>
    public async Task ReleaseAsync(string key, CancellationToken cancellationToken = default)
    {
        var id = DocumentId(key);
        try
        {
            await store.IntakeKeys.DeleteItemAsync<IntakeKey>(id, new PartitionKey(id), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Released already.
        }
    }

    private static string DocumentId(string key) =>
        Hashing.Sha256Hex(key);
}

public sealed record IntakeKey(string Id, string Key, string TicketNumber, string Fingerprint);
