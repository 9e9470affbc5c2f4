using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Escalation.Tests.Support;

namespace Escalation.Benchmarks;

/// <summary>
/// Azurite (blob, queue, table; in memory) and the local Cosmos-compatible server, both on 127.0.0.1 with free ports,
/// started the way Functions.Tests' fixtures start them and stopped by their own process ids.
/// </summary>
internal sealed partial class LocalServers : IAsyncDisposable
{
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>How long a server asked to stop may take before it is killed by its PID.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private Process? _azurite;
    private int[]? _azuritePorts;
    private Process? _cosmos;

    private LocalServers()
    {
    }

    public string StorageConnectionString { get; private set; } = string.Empty;

    public string CosmosEndpoint { get; private set; } = string.Empty;

    /// <summary>CPU time Azurite has used so far.</summary>
    public TimeSpan AzuriteCpu => ChildProcess.CpuOf(_azurite);

    /// <summary>CPU time the Cosmos-compatible server has used so far.</summary>
    public TimeSpan CosmosCpu => ChildProcess.CpuOf(_cosmos);

    /// <summary>Azurite's request log (its --debug file) when started with one.</summary>
    public string? AzuriteDebugLog { get; private set; }

    public static async Task<LocalServers> StartAsync(string? azuriteDebugLog, CancellationToken cancellationToken)
    {
        var servers = new LocalServers();
        try
        {
            await servers.StartAzuriteAsync(azuriteDebugLog, cancellationToken);
            await servers.StartCosmosAsync(cancellationToken);
            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops Azurite and starts an empty one on the same ports (the connection string stays valid). In memory, its
    /// tables and queues slow down as they fill: every poll of a queue scans its waiting (timer) messages.
    /// </summary>
    public async Task RestartAzuriteAsync(CancellationToken cancellationToken)
    {
        await StopAzuriteAsync();
        _azurite?.Dispose();
        await StartAzuriteAsync(AzuriteDebugLog, cancellationToken);
    }

    /// <summary>Azurite stops cleanly on SIGINT (not always on SIGTERM); the Cosmos server when its stdin closes.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAzuriteAsync();

        if (_cosmos is { HasExited: false } cosmos)
        {
            cosmos.StandardInput.Close();
            await ChildProcess.WaitForExitOrKillAsync(cosmos, StopGrace);
        }

        _azurite?.Dispose();
        _cosmos?.Dispose();
    }

    private async Task StopAzuriteAsync()
    {
        if (_azurite is { HasExited: false } azurite)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", azurite.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false });
            if (kill is not null)
            {
                await kill.WaitForExitAsync();
            }

            await ChildProcess.WaitForExitOrKillAsync(azurite, StopGrace);
        }
    }

    private async Task StartAzuriteAsync(string? debugLog, CancellationToken cancellationToken)
    {
        var azurite = RepositoryPaths.Combine("tools", "local-dev", "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException("Azurite is not installed: run `npm ci --prefix tools/local-dev` (benchmarks/run.sh does).");
        }

        int[] ports = _azuritePorts ??= [.. FreePorts(3)];
        var arguments = new List<string>
        {
            "--skipApiVersionCheck", "--loose", "--inMemoryPersistence", "--silent",
            "--blobHost", "127.0.0.1", "--blobPort", Invariant(ports[0]),
            "--queueHost", "127.0.0.1", "--queuePort", Invariant(ports[1]),
            "--tableHost", "127.0.0.1", "--tablePort", Invariant(ports[2]),
        };
        if (debugLog is not null)
        {
            arguments.AddRange(["--debug", debugLog]);
            AzuriteDebugLog = debugLog;
        }

        _azurite = StartDrained(azurite, arguments, redirectInput: false);
        foreach (var port in ports)
        {
            await WaitForListenerAsync(_azurite, port, cancellationToken);
        }

        StorageConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + DevelopmentKey + ";"
            + $"BlobEndpoint=http://127.0.0.1:{Invariant(ports[0])}/devstoreaccount1;"
            + $"QueueEndpoint=http://127.0.0.1:{Invariant(ports[1])}/devstoreaccount1;"
            + $"TableEndpoint=http://127.0.0.1:{Invariant(ports[2])}/devstoreaccount1;";
    }

    private async Task StartCosmosAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(RepositoryPaths.Combine("tools", "cosmos-local", "node_modules")))
        {
            throw new InvalidOperationException("tools/cosmos-local has no node_modules: run `npm ci --prefix tools/cosmos-local` (benchmarks/run.sh does).");
        }

        var start = new ProcessStartInfo("node",
            [RepositoryPaths.Combine("tools", "cosmos-local", "server.js"), "--host", "127.0.0.1", "--port", Invariant(FreePorts(1).Single()), "--exit-on-stdin-close"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        _cosmos = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (await _cosmos.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var match = ListeningLine().Match(line);
            if (match.Success)
            {
                CosmosEndpoint = match.Groups["url"].Value;
                _ = DrainAsync(_cosmos.StandardOutput);
                _ = DrainAsync(_cosmos.StandardError);
                return;
            }
        }

        throw new InvalidOperationException("The Cosmos-compatible server exited before listening: " + await _cosmos.StandardError.ReadToEndAsync(cancellationToken));
    }

    private static Process StartDrained(string fileName, IEnumerable<string> arguments, bool redirectInput)
    {
        var process = Process.Start(new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForListenerAsync(Process process, int port, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before listening.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        throw new InvalidOperationException($"Azurite did not listen on 127.0.0.1:{port} within 30 s.");
    }

    /// <summary>Ports the OS reports free right now, held together so that they differ.</summary>
    private static List<int> FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is not null)
        {
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"listening on (?<url>https://\S+)")]
    private static partial Regex ListeningLine();
}
