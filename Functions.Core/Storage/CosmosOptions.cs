using System.ComponentModel.DataAnnotations;

namespace Escalation.Core.Storage;

/// <summary>Cosmos DB for NoSQL connection (configuration section "Cosmos").</summary>
public sealed class CosmosOptions
{
    public const string SectionName = "Cosmos";

    [Required]
    [Url]
    public string AccountEndpoint { get; set; } = string.Empty;

    /// <summary>Only for the local Cosmos-compatible server. In Azure leave it empty: the managed identity is used.</summary>
    public string? AccountKey { get; set; }

    [Required]
    public string DatabaseName { get; set; } = "escalation";

    /// <summary>Creates the database and containers at start-up (local development). In Azure, Bicep creates them.</summary>
    public bool EnsureCreated { get; set; }

    /// <summary>Accepts the self-signed certificate of a local server. Never set in Azure.</summary>
    public bool AcceptAnyServerCertificate { get; set; }
}

/// <summary>Container names and partition keys; infra/bicep must create exactly these (a test checks it).</summary>
public static class CosmosContainers
{
    /// <summary>One document per ticket (id = ticket number) holding its history and notice deliveries.</summary>
    public const string Tickets = "tickets";

    /// <summary>Channel message ids and idempotency keys, each mapped to the one ticket it created.</summary>
    public const string IntakeKeys = "intake-keys";

    /// <summary>Org directory snapshots (chunks), and the pointer of earlier versions (the current one is named by the ticket-number counter, ADR 9).</summary>
    public const string Directory = "directory";

    /// <summary>Sequence counters such as the ticket number, which also names the current directory snapshot (ADR 9).</summary>
    public const string Sequences = "sequences";

    /// <summary>Older history of long tickets, moved out of the ticket document page by page (id = ticket:history:page).</summary>
    public const string TicketHistory = "ticket-history";

    /// <summary>The reporting read model: one document per day of counters, the tickets awaiting a first response, the projection's checkpoint, digest deliveries (ADR 10).</summary>
    public const string Reporting = "reporting";

    /// <summary>The agents' worklist: one small entry per open ticket (id = ticket number) in one partition, kept from the change feed (ADR 14).</summary>
    public const string Worklist = "worklist";

    /// <summary>The worklist's composite indexes (path, descending), one per filter-and-sort the views use; infra/bicep/modules/cosmos.bicep declares the same.</summary>
    public static IReadOnlyList<IReadOnlyList<(string Path, bool Descending)>> WorklistCompositeIndexes { get; } =
    [
        [("/teamId", false), ("/slaDueAt", false)],
        [("/agentId", false), ("/slaDueAt", false)],
        [("/priorityRank", true), ("/slaDueAt", false)],
        [("/teamId", false), ("/priorityRank", true), ("/slaDueAt", false)],
        [("/teamId", false), ("/lastActivityAt", true)],
        [("/answered", false), ("/slaDueAt", false)],
    ];

    public static IReadOnlyDictionary<string, string> PartitionKeyPaths { get; } = new Dictionary<string, string>
    {
        [Tickets] = "/id",
        [IntakeKeys] = "/id",
        [Directory] = "/snapshot",
        [Sequences] = "/id",
        [TicketHistory] = "/id",
        [Reporting] = "/id",
        [Worklist] = "/partition",
    };
}
