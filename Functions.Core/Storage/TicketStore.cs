using System.Net;
using System.Text.Json;
using Ardalis.Result;
using Escalation.Core.Conversation;
using Escalation.Core.Tickets;
using Microsoft.Azure.Cosmos;

namespace Escalation.Core.Storage;

/// <summary>Tickets in Cosmos DB. Every change is a read, a pure change of the document, and a write guarded by its ETag.</summary>
public sealed class TicketStore(CosmosStore store)
{
    /// <summary>The size of a ticket document above which its oldest history is paged out (Cosmos allows 2 MB).</summary>
    public const int MaxInlineHistoryBytes = 512 * 1024;

    private const int MaxAttempts = 20;

    /// <summary>Creates the ticket; false when a ticket with this number exists already (a retried intake).</summary>
    public async Task<bool> CreateAsync(Ticket ticket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        try
        {
            await store.Tickets.CreateItemAsync(ticket, new PartitionKey(ticket.Number), cancellationToken: cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    public async Task<Ticket?> FindAsync(string number, CancellationToken cancellationToken = default) =>
        (await ReadAsync(number, cancellationToken))?.Resource;

    /// <summary>
    /// Every ticket not yet resolved that was opened before <paramref name="openedBefore"/> (and, when given, at or
    /// after <paramref name="openedFrom"/>), page by page.
    /// </summary>
    public IAsyncEnumerable<Ticket> OpenTicketsAsync(DateTimeOffset openedBefore, DateTimeOffset? openedFrom = null,
        CancellationToken cancellationToken = default) =>
        QueryAsync(new QueryDefinition("SELECT * FROM c WHERE c.status != @resolved AND c.createdAt < @before AND c.createdAt >= @from")
            .WithParameter("@resolved", "resolved")
            .WithParameter("@before", openedBefore)
            .WithParameter("@from", openedFrom ?? DateTimeOffset.MinValue), cancellationToken);

    /// <summary>Open tickets without a first response whose deadline fell in [<paramref name="dueFrom"/>, <paramref name="dueBefore"/>).</summary>
    public IAsyncEnumerable<Ticket> UnansweredPastDeadlineAsync(DateTimeOffset dueFrom, DateTimeOffset dueBefore,
        CancellationToken cancellationToken = default) =>
        QueryAsync(new QueryDefinition("SELECT * FROM c WHERE c.status != @resolved AND NOT IS_DEFINED(c.firstResponseAt) "
                + "AND c.slaDueAt >= @from AND c.slaDueAt < @before")
            .WithParameter("@resolved", "resolved")
            .WithParameter("@from", dueFrom)
            .WithParameter("@before", dueBefore), cancellationToken);

    /// <summary>
    /// One page of a requester's tickets, the latest public activity first: by directory person id, or for a requester
    /// the directory does not know by her sign-in id or e-mail address (<see cref="Requester.Is"/>).
    /// <paramref name="continuation"/> is the previous page's token.
    /// </summary>
    public async Task<(IReadOnlyList<RequesterTicket> Tickets, string? Continuation)> RequestedByAsync(string? personId, Identity.Caller caller,
        string? continuation, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        const string Fields = "SELECT c.id, c.subject, c.status, c.channel, c.createdAt, c.lastPublicActivityAt, c.awaitingRequesterSince FROM c ";
        var query = personId is not null
            ? new QueryDefinition(Fields + "WHERE c.requester.personId = @person ORDER BY c.lastPublicActivityAt DESC").WithParameter("@person", personId)
            : new QueryDefinition(Fields + "WHERE NOT IS_DEFINED(c.requester.personId) AND (c.requester.accountId = @account OR c.requester.email = @email) "
                    + "ORDER BY c.lastPublicActivityAt DESC")
                .WithParameter("@account", caller.Id)
                .WithParameter("@email", caller.Email ?? string.Empty);
        using var pages = store.Tickets.GetItemQueryIterator<RequesterTicketRow>(query, continuation,
            new QueryRequestOptions { MaxItemCount = pageSize });
        if (!pages.HasMoreResults)
        {
            return ([], null);
        }

        var page = await pages.ReadNextAsync(cancellationToken);
        return ([.. page.Select(row => new RequesterTicket(row.Id, row.Subject, row.Status, row.Channel, row.CreatedAt, row.LastPublicActivityAt,
            row.AwaitingRequesterSince is not null && row.Status != TicketStatus.Resolved))], page.ContinuationToken);
    }

    /// <summary>The fields of a ticket document that "my tickets" reads.</summary>
    private sealed record RequesterTicketRow(string Id, string Subject, TicketStatus Status, Channel Channel, DateTimeOffset CreatedAt,
        DateTimeOffset? LastPublicActivityAt, DateTimeOffset? AwaitingRequesterSince);

    /// <summary>Every ticket that still owes a message (<see cref="Ticket.PendingDeliveries"/>), open or resolved.</summary>
    public IAsyncEnumerable<Ticket> OwingMessagesAsync(CancellationToken cancellationToken = default) =>
        QueryAsync(new QueryDefinition("SELECT * FROM c WHERE c.pendingDeliveries > 0"), cancellationToken);

    /// <summary>The tickets a cross-partition query finds, page by page.</summary>
    private async IAsyncEnumerable<Ticket> QueryAsync(QueryDefinition query,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var pages = store.Tickets.GetItemQueryIterator<Ticket>(query, requestOptions: new QueryRequestOptions { MaxItemCount = 100 });
        while (pages.HasMoreResults)
        {
            foreach (var ticket in await pages.ReadNextAsync(cancellationToken))
            {
                yield return ticket;
            }
        }
    }

    /// <summary>How many open manager escalations each coordinator holds (the load that coordinator assignment balances).</summary>
    public async Task<Dictionary<string, int>> OpenEscalationLoadsAsync(CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT VALUE e.coordinatorId FROM c JOIN e IN c.escalations WHERE e.status = @open")
            .WithParameter("@open", "open");
        var loads = new Dictionary<string, int>(StringComparer.Ordinal);
        using var pages = store.Tickets.GetItemQueryIterator<string?>(query, requestOptions: new QueryRequestOptions { MaxItemCount = 500 });
        while (pages.HasMoreResults)
        {
            foreach (var coordinatorId in await pages.ReadNextAsync(cancellationToken))
            {
                if (coordinatorId is not null)
                {
                    loads[coordinatorId] = loads.GetValueOrDefault(coordinatorId) + 1;
                }
            }
        }

        return loads;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current ticket and stores it unless another writer got there first,
    /// in which case it starts again from the newer document. A failed result leaves the ticket untouched.
    /// </summary>
    public async Task<Result<T>> UpdateAsync<T>(string number, Func<Ticket, Result<T>> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; ; attempt++)
        {
            var current = await ReadAsync(number, cancellationToken);
            if (current is null)
            {
                return Result<T>.NotFound(TicketAccessPolicy.NotFoundMessage(number));
            }

            var result = change(current.Resource);
            if (!result.IsSuccess)
            {
                return result;
            }

            try
            {
                await PageOutHistoryAsync(current.Resource, cancellationToken);
                await store.Tickets.ReplaceItemAsync(current.Resource, number, new PartitionKey(number),
                    new ItemRequestOptions { IfMatchEtag = current.ETag, EnableContentResponseOnWrite = false }, cancellationToken);
                return result;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed && attempt < MaxAttempts)
            {
                // Someone else changed the ticket since we read it: apply the change again to the newer version,
                // after a short random pause so that concurrent writers (a notice fan-out) spread out.
                await Task.Delay(Random.Shared.Next(5, 10 * attempt), cancellationToken);
            }
        }
    }

    public async Task<Result> UpdateAsync(string number, Func<Ticket, Result> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var result = await UpdateAsync(number, ticket => change(ticket).Map(() => true), cancellationToken);
        return result.Map();
    }

    /// <summary>A page of the ticket's older history; null when there is no such page.</summary>
    public async Task<TicketHistoryPage?> FindHistoryPageAsync(string number, int page, CancellationToken cancellationToken = default)
    {
        var id = TicketHistoryPage.IdFor(number, page);
        try
        {
            return (await store.TicketHistory.ReadItemAsync<TicketHistoryPage>(id, new PartitionKey(id), cancellationToken: cancellationToken)).Resource;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Keeps the ticket document far below Cosmos DB's 2 MB item limit however long the ticket lives: past
    /// <see cref="MaxInlineHistoryBytes"/> the oldest half of its history becomes the next page of older history. The page
    /// is written first under a deterministic id, so a write that loses its ETag race rewrites the same page.
    /// </summary>
    private async Task PageOutHistoryAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        if (JsonSerializer.SerializeToUtf8Bytes(ticket, EscalationJson.Options).Length <= MaxInlineHistoryBytes)
        {
            return;
        }

        var entries = ticket.TakeOldestHistory(MaxInlineHistoryBytes / 2, e => JsonSerializer.SerializeToUtf8Bytes(e, EscalationJson.Options).Length);
        if (entries.Count == 0)
        {
            return;
        }

        var page = new TicketHistoryPage(TicketHistoryPage.IdFor(ticket.Number, ticket.HistoryPages), ticket.Number, ticket.HistoryPages, entries);
        await store.TicketHistory.UpsertItemAsync(page, new PartitionKey(page.Id),
            new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken);
        ticket.HistoryPages++;
    }

    private async Task<ItemResponse<Ticket>?> ReadAsync(string number, CancellationToken cancellationToken)
    {
        try
        {
            return await store.Tickets.ReadItemAsync<Ticket>(number, new PartitionKey(number), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
