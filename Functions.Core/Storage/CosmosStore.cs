using Azure.Identity;
using Microsoft.Azure.Cosmos;

namespace Escalation.Core.Storage;

/// <summary>The app's one <see cref="CosmosClient"/> and its containers. Registered as a singleton.</summary>
public sealed class CosmosStore : IDisposable
{
    private readonly CosmosOptions _options;

    /// <param name="options">Where the account is and how to reach it.</param>
    /// <param name="handlers">Extra request handlers, first in the pipeline (tests inject store faults with them).</param>
    public CosmosStore(CosmosOptions options, params RequestHandler[] handlers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handlers);
        _options = options;
        var clientOptions = new CosmosClientOptions
        {
            ApplicationName = "service-desk-escalation",
            UseSystemTextJsonSerializerWithOptions = EscalationJson.Options,
            EnableContentResponseOnWrite = true,
        };
        foreach (var handler in handlers)
        {
            clientOptions.CustomHandlers.Add(handler);
        }
        if (options.AcceptAnyServerCertificate)
        {
            // The local Cosmos-compatible server speaks the gateway protocol only, with a self-signed certificate.
            clientOptions.ConnectionMode = ConnectionMode.Gateway;
            clientOptions.LimitToEndpoint = true;
            clientOptions.HttpClientFactory = () => new HttpClient(new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
            });
        }

        Client = string.IsNullOrEmpty(options.AccountKey)
            ? new CosmosClient(options.AccountEndpoint, new DefaultAzureCredential(), clientOptions)
            : new CosmosClient(options.AccountEndpoint, options.AccountKey, clientOptions);
        var database = Client.GetDatabase(options.DatabaseName);
        Tickets = database.GetContainer(CosmosContainers.Tickets);
        IntakeKeys = database.GetContainer(CosmosContainers.IntakeKeys);
        Directory = database.GetContainer(CosmosContainers.Directory);
        Sequences = database.GetContainer(CosmosContainers.Sequences);
        TicketHistory = database.GetContainer(CosmosContainers.TicketHistory);
        Reporting = database.GetContainer(CosmosContainers.Reporting);
        Worklist = database.GetContainer(CosmosContainers.Worklist);
    }

    public CosmosClient Client { get; }

    public Container Tickets { get; }

    public Container IntakeKeys { get; }

    public Container Directory { get; }

    public Container Sequences { get; }

    public Container TicketHistory { get; }

    public Container Reporting { get; }

    public Container Worklist { get; }

    /// <summary>Creates the database and containers when missing (local development and tests).</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        var database = (await Client.CreateDatabaseIfNotExistsAsync(_options.DatabaseName, cancellationToken: cancellationToken)).Database;
        foreach (var (name, partitionKeyPath) in CosmosContainers.PartitionKeyPaths)
        {
            var properties = new ContainerProperties(name, partitionKeyPath);
            if (name == CosmosContainers.Worklist)
            {
                // A sort on two fields needs its composite index (Cosmos DB refuses the query without); as in cosmos.bicep.
                foreach (var composite in CosmosContainers.WorklistCompositeIndexes)
                {
                    properties.IndexingPolicy.CompositeIndexes.Add(new System.Collections.ObjectModel.Collection<CompositePath>(
                        [.. composite.Select(p => new CompositePath { Path = p.Path, Order = p.Descending ? CompositePathSortOrder.Descending : CompositePathSortOrder.Ascending })]));
                }
            }

            await database.CreateContainerIfNotExistsAsync(properties, cancellationToken: cancellationToken);
        }
    }

    public void Dispose() => Client.Dispose();
}
