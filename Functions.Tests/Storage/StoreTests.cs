using Ardalis.Result;
using Escalation.Core.Organization;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Escalation.Tests.Support;

namespace Escalation.Tests.Storage;

/// <summary>The Cosmos DB stores against the local Cosmos-compatible server.</summary>
[Collection(CosmosCollection.Name)]
public sealed class StoreTests(CosmosServerFixture cosmos) : IAsyncLifetime
{
    private CosmosStore _store = null!;

    public async Task InitializeAsync() => _store = await cosmos.CreateStoreAsync();

    public Task DisposeAsync()
    {
        _store.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_ticket_round_trips_with_its_history_and_is_created_once()
    {
        var tickets = new TicketStore(_store);
        var ticket = Builders.Ticket("SD-2001");

        (await tickets.CreateAsync(ticket)).ShouldBeTrue();
        (await tickets.CreateAsync(Builders.Ticket("SD-2001"))).ShouldBeFalse();

        var stored = (await tickets.FindAsync("SD-2001"))!;
        stored.Subject.ShouldBe(ticket.Subject);
        stored.Assignment.ShouldBe(ticket.Assignment);
        stored.SlaDueAt.ShouldBe(ticket.SlaDueAt);
        stored.History.Select(h => (h.Id, h.Type)).ShouldBe(ticket.History.Select(h => (h.Id, h.Type)));
        (await tickets.FindAsync("SD-9999")).ShouldBeNull();
    }

    [Fact]
    public async Task A_ticket_with_a_thousand_messages_and_attachments_stays_writable_and_keeps_all_its_history()
    {
        var tickets = new TicketStore(_store);
        await tickets.CreateAsync(Builders.Ticket("SD-2010"));
        var now = DateTimeOffset.UtcNow;

        // One in ten is a 20,000-character reply in a non-Latin script (the size that once filled a document in 17 writes).
        for (var i = 0; i < 1000; i++)
        {
            var text = i % 10 == 0 ? new string('я', 20_000) : $"message {i}: " + new string('x', 400);
            var attachment = new AttachmentInfo($"file-{i}.txt", "text/plain", 100, $"email/{i}/1-file.txt");
            (await tickets.UpdateAsync("SD-2010", t => Result.Success(t.AppendMessage($"m{i}", "user-ursula", text, false, now.AddSeconds(i), [attachment]))))
                .IsSuccess.ShouldBeTrue($"write {i}");
        }

        using var raw = await _store.Tickets.ReadItemStreamAsync("SD-2010", new Microsoft.Azure.Cosmos.PartitionKey("SD-2010"));
        raw.Content.Length.ShouldBeLessThan(TicketStore.MaxInlineHistoryBytes + 64 * 1024, "the document stays bounded");
        var ticket = (await tickets.FindAsync("SD-2010"))!;
        ticket.HistoryPages.ShouldBeGreaterThan(1);
        ticket.Attachments.Count.ShouldBe(1000);
        var paged = new List<HistoryEntry>();
        for (var page = 0; page < ticket.HistoryPages; page++)
        {
            paged.AddRange((await tickets.FindHistoryPageAsync("SD-2010", page))!.Entries);
        }

        var messages = paged.Concat(ticket.History).Where(h => h.Type == HistoryEntryType.Message).Select(h => h.Id).ToList();
        messages.ShouldBe(Enumerable.Range(0, 1000).Select(i => $"m{i}"), "every message once, oldest first");
        ticket.History.ShouldContain(h => h.Type == HistoryEntryType.Created, "creation and assignments stay with the ticket");
    }

    [Fact]
    public async Task Concurrent_updates_lose_nothing()
    {
        var tickets = new TicketStore(_store);
        await tickets.CreateAsync(Builders.Ticket("SD-2002"));

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => tickets.UpdateAsync("SD-2002", t =>
            t.Respond($"r{i}", "agent-bob", $"note {i}", countsAsFirstResponse: false, DateTimeOffset.UtcNow).Map(_ => true))));

        var stored = (await tickets.FindAsync("SD-2002"))!;
        stored.History.Count(h => h.Type == HistoryEntryType.Replied).ShouldBe(20);
        stored.Outgoing.Count.ShouldBe(20);
    }

    [Fact]
    public async Task A_failed_change_writes_nothing_and_a_missing_ticket_is_not_found()
    {
        var tickets = new TicketStore(_store);
        await tickets.CreateAsync(Builders.Ticket("SD-2003"));

        var refused = await tickets.UpdateAsync("SD-2003", t =>
        {
            t.Status = TicketStatus.Resolved; // changed in memory, then refused: must not be stored
            return Result.Conflict("no");
        });

        refused.Status.ShouldBe(ResultStatus.Conflict);
        (await tickets.FindAsync("SD-2003"))!.Status.ShouldBe(TicketStatus.Open);
        (await tickets.UpdateAsync("SD-9999", _ => Result.Success())).Status.ShouldBe(ResultStatus.NotFound);
    }

    [Fact]
    public async Task Ticket_numbers_are_unique_under_concurrency()
    {
        var sequence = new TicketSequence(_store);

        var numbers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => sequence.NextAsync()));

        numbers.Distinct().Count().ShouldBe(40);
        numbers.Min().ShouldBe(1001);
        numbers.Max().ShouldBe(1040);
    }

    [Fact]
    public async Task A_delivery_key_belongs_to_the_first_ticket_that_claims_it()
    {
        var keys = new IntakeKeyStore(_store);

        (await keys.ClaimAsync("Email:<abc/123@mail>", "SD-3001", "f1")).TicketNumber.ShouldBe("SD-3001");
        var second = await keys.ClaimAsync("Email:<abc/123@mail>", "SD-3002", "f1");

        second.TicketNumber.ShouldBe("SD-3001");
        (await keys.FindAsync("Email:<abc/123@mail>"))!.Fingerprint.ShouldBe("f1");
        (await keys.FindAsync("Email:<other@mail>")).ShouldBeNull();
    }

    [Fact]
    public async Task The_directory_is_replaced_whole_and_an_invalid_one_changes_nothing()
    {
        var directory = new DirectoryStore(_store, TimeProvider.System);
        (await directory.GetCurrentAsync()).Status.ShouldBe(ResultStatus.NotFound);

        (await directory.LoadAsync(Builders.DirectoryDocument())).IsSuccess.ShouldBeTrue();
        var invalid = Builders.DirectoryDocument() with { Routing = new RoutingRecord("no-such-team") };
        (await directory.LoadAsync(invalid)).Status.ShouldBe(ResultStatus.Invalid);

        var current = await new DirectoryStore(_store, TimeProvider.System).GetCurrentAsync();
        current.Value.Routing.DefaultTeamId.ShouldBe("service-desk");
    }

    [Fact]
    public async Task Queries_work_on_every_database_of_the_local_server()
    {
        // The local server once gave the 63rd database an id containing '/', which broke queries on it.
        for (var i = 0; i < 70; i++)
        {
            await _store.Client.CreateDatabaseIfNotExistsAsync($"filler-{Guid.NewGuid():N}");
        }

        using var store = await cosmos.CreateStoreAsync();
        await new TicketStore(store).CreateAsync(Builders.Ticket("SD-4001"));
        using var query = store.Tickets.GetItemQueryIterator<int>("SELECT VALUE COUNT(1) FROM c");

        (await query.ReadNextAsync()).Single().ShouldBe(1);
    }

    [Fact]
    public async Task A_directory_larger_than_one_document_is_stored_in_chunks_and_read_back()
    {
        var document = Builders.DirectoryDocument();
        var extra = Enumerable.Range(0, 6000)
            .Select(i => new PersonRecord($"person-{i}", $"Person Number {i}", $"person{i}@example.edu", $"+1555{i:D7}", "cio", "physics"));
        document = document with { People = [.. document.People, .. extra] };
        var directory = new DirectoryStore(_store, TimeProvider.System);

        await directory.LoadAsync(document);
        await directory.LoadAsync(document); // replacing it cleans up the old chunks

        var current = await new DirectoryStore(_store, TimeProvider.System).GetCurrentAsync();
        current.Value.FindPerson("person-5999")!.Email.ShouldBe("person5999@example.edu");
        current.Value.FindPersonByPhone("+15550005999")!.Id.ShouldBe("person-5999");
    }
}
