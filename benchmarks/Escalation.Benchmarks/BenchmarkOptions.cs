using System.Globalization;

namespace Escalation.Benchmarks;

internal enum BenchmarkMode
{
    /// <summary>How late escalation notices leave after the SLA deadline.</summary>
    Lag,

    /// <summary>How many storage transactions the idle engine makes.</summary>
    Idle,

    /// <summary>How long a manager escalation takes from its POST to the coordinator's e-mail.</summary>
    Escalate,

    /// <summary>Web intake end to end: throughput, latency, CPU, Cosmos and storage operations per ticket, and the lag.</summary>
    Intake,

    /// <summary>Reports over a year of the read model: latency of the SLA and requester reports.</summary>
    Reports,

    /// <summary>The agents' worklist over 100,000 stored tickets of which 5,000 are open: latency of each view.</summary>
    Worklist,

    /// <summary>Two instances, one killed mid-wave: tickets and e-mails lost or duplicated, and each notice's lag by holder.</summary>
    Crash,
}

/// <summary>The command line of benchmarks/run.sh.</summary>
internal sealed record BenchmarkOptions
{
    public const string Usage = """
        usage: benchmarks/run.sh lag  [--tickets 40] [--window 00:00:30] [--stagger 00:00:20] [--rounds 1] [--polling 00:00:01]
               benchmarks/run.sh idle [--idle 90] [--warmup SECONDS] [--polling 00:00:01]
               benchmarks/run.sh escalate [--tickets 40] [--stagger 00:00:20] [--polling 00:00:01]
               benchmarks/run.sh reports [--tickets 100000] [--rounds 200]
               benchmarks/run.sh worklist [--tickets 100000] [--rounds 200]
               benchmarks/run.sh crash [--tickets 60] [--window 00:00:45] [--stagger 00:00:20] [--burst 20]
               benchmarks/run.sh intake [--tickets 200] [--clients 8] [--lag-tickets 40] [--window 00:00:20] [--stagger 00:00:10] [--out FILE]
          --polling  maxQueuePollingInterval of the Azure Storage backend; default: the value in Functions/host.json
          --window   the SLA window (Sla:DefaultWindow) of every ticket
          --stagger  tickets are submitted evenly over this time, so that their deadlines spread
          --rounds   split the tickets into rounds, each submitted when the previous round's notices are out; with a
                     window longer than stagger + 60 s every round's deadlines come after the queues have gone quiet
          --idle     seconds of idle engine whose storage requests are counted
          --clients  intake: concurrent clients of the second phase (the first has one)
          --lag-tickets  intake: short-window tickets whose escalation lag is measured after the throughput phases
          --burst    crash: high-priority tickets the killed instance takes just before it dies (starts queued in its memory)
          --out      intake: the JSON result file (default benchmarks/results/intake-<UTC time>.json)
          --warmup   seconds the idle engine runs before counting (default: 10 s + twice the polling interval)
        """;

    public BenchmarkMode Mode { get; init; }

    public int Tickets { get; init; } = 40;

    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Stagger { get; init; } = TimeSpan.FromSeconds(20);

    public int Rounds { get; init; } = 1;

    /// <summary>Null: read from Functions/host.json.</summary>
    public TimeSpan? Polling { get; init; }

    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(90);

    public TimeSpan? Warmup { get; init; }

    public int Clients { get; init; } = 8;

    public int LagTickets { get; init; } = 40;

    public string? Output { get; init; }

    public int Burst { get; init; } = 20;


    public static bool TryParse(string[] args, out BenchmarkOptions options, out string error)
    {
        options = new BenchmarkOptions();
        error = string.Empty;
        if (args.Length == 0 || !Enum.TryParse<BenchmarkMode>(args[0], ignoreCase: true, out var mode) || int.TryParse(args[0], out _))
        {
            error = "The first argument is the mode: lag, idle, escalate, reports, worklist, crash or intake.";
            return false;
        }

        options = mode switch
        {
            BenchmarkMode.Intake => options with { Mode = mode, Tickets = 200, Window = TimeSpan.FromSeconds(20), Stagger = TimeSpan.FromSeconds(10) },
            BenchmarkMode.Reports => options with { Mode = mode, Tickets = 100_000, Rounds = 200 },
            BenchmarkMode.Worklist => options with { Mode = mode, Tickets = 100_000, Rounds = 200 },
            BenchmarkMode.Crash => options with { Mode = mode, Tickets = 60, Window = TimeSpan.FromSeconds(45) },
            _ => options with { Mode = mode },
        };
        for (var i = 1; i < args.Length; i++)
        {
            if (i + 1 >= args.Length)
            {
                error = $"{args[i]} needs a value.";
                return false;
            }

            var value = args[++i];
            switch (args[i - 1])
            {
                case "--tickets" when int.TryParse(value, CultureInfo.InvariantCulture, out var tickets) && tickets > 0:
                    options = options with { Tickets = tickets };
                    break;
                case "--window" when TryDuration(value, out var window):
                    options = options with { Window = window };
                    break;
                case "--stagger" when TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var stagger) && stagger >= TimeSpan.Zero:
                    options = options with { Stagger = stagger };
                    break;
                case "--rounds" when int.TryParse(value, CultureInfo.InvariantCulture, out var rounds) && rounds > 0:
                    options = options with { Rounds = rounds };
                    break;
                case "--polling" when TryDuration(value, out var polling):
                    options = options with { Polling = polling };
                    break;
                case "--idle" when int.TryParse(value, CultureInfo.InvariantCulture, out var idle) && idle > 0:
                    options = options with { Idle = TimeSpan.FromSeconds(idle) };
                    break;
                case "--warmup" when int.TryParse(value, CultureInfo.InvariantCulture, out var warmup) && warmup >= 0:
                    options = options with { Warmup = TimeSpan.FromSeconds(warmup) };
                    break;
                case "--clients" when int.TryParse(value, CultureInfo.InvariantCulture, out var clients) && clients > 0:
                    options = options with { Clients = clients };
                    break;
                case "--lag-tickets" when int.TryParse(value, CultureInfo.InvariantCulture, out var lagTickets) && lagTickets > 0:
                    options = options with { LagTickets = lagTickets };
                    break;
                case "--burst" when int.TryParse(value, CultureInfo.InvariantCulture, out var burst) && burst >= 0:
                    options = options with { Burst = burst };
                    break;
                case "--out" when value.Length > 0:
                    options = options with { Output = value };
                    break;
                default:
                    error = $"Unknown option or invalid value: {args[i - 1]} {value}";
                    return false;
            }
        }

        if (options.Rounds > options.Tickets)
        {
            error = "--rounds may not exceed --tickets.";
            return false;
        }

        return true;
    }

    private static bool TryDuration(string value, out TimeSpan duration) =>
        TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
}
