using System.Diagnostics;
using System.Text.RegularExpressions;
using Escalation.Core.Storage;

namespace Escalation.Tests.Support;

/// <summary>
/// Starts the local Cosmos-compatible server (tools/cosmos-local) on 127.0.0.1 with a free port for the test run and
/// stops it afterwards by its own process id. Each test class gets its own database via <see cref="CreateStoreAsync"/>.
/// </summary>
public sealed partial class CosmosServerFixture : IAsyncLifetime
{
    private Process? _process;

    public string Endpoint { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var launcher = RepositoryPaths.Combine("tools", "cosmos-local", "server.js");
        if (!Directory.Exists(RepositoryPaths.Combine("tools", "cosmos-local", "node_modules")))
        {
            throw new InvalidOperationException("tools/cosmos-local has no node_modules: run `npm ci --prefix tools/cosmos-local` (the test script does).");
        }

        var start = new ProcessStartInfo("node", [launcher, "--host", "127.0.0.1", "--port", "0", "--exit-on-stdin-close"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var match = ListeningLine().Match(line);
            if (match.Success)
            {
                Endpoint = match.Groups["url"].Value;
                _ = DrainAsync(_process.StandardOutput);
                _ = DrainAsync(_process.StandardError);
                return;
            }
        }

        throw new InvalidOperationException("The Cosmos-compatible server exited before listening: " + await _process.StandardError.ReadToEndAsync());
    }

    /// <summary>A store on a fresh database of this server, with the containers created.</summary>
    public async Task<CosmosStore> CreateStoreAsync(params Microsoft.Azure.Cosmos.RequestHandler[] handlers)
    {
        var store = new CosmosStore(new CosmosOptions
        {
            AccountEndpoint = Endpoint,
            AccountKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
            DatabaseName = "test-" + Guid.NewGuid().ToString("N")[..12],
            AcceptAnyServerCertificate = true,
        }, handlers);
        await store.EnsureCreatedAsync();
        return store;
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is not null)
        {
        }
    }

    [GeneratedRegex(@"listening on (?<url>https://\S+)")]
    private static partial Regex ListeningLine();
}

[CollectionDefinition(Name)]
public sealed class CosmosCollection : ICollectionFixture<CosmosServerFixture>
{
    public const string Name = "cosmos";
}
