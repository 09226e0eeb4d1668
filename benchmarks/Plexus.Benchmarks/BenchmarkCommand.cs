namespace Plexus.Benchmarks;

/// <summary>
/// What the command line asks for. Parsed by hand (System.CommandLine is not a central package
/// here): an unknown suite or flag is a <see cref="UsageException"/>, which exits with code 2.
/// </summary>
internal abstract record BenchmarkCommand
{
    public const string Usage = """
        usage: Plexus.Benchmarks <suite> [options]

        suites:
          micro [--out FILE] [--only NAME[,NAME...]]
              Cluster-level figures named as in `ray microbenchmark`, the machine's limits measured
              in the same run, and figure/limit ratios, as one flat JSON object printed to stdout
              (and written to FILE). --only runs the named figures (and limits) alone.
          cluster [--nodes N] [--out FILE]
              Figures of a real cluster of N nodes (default 4, at least 2) started with the plexus
              tool, each node in its own network namespace when run as root (else on a loopback
              address of its own): transfers, broadcast, cross-node tasks, control-service calls,
              failure detection and joining, with the limits measured in the same run, as JSON.
          recovery [--out FILE]
              What failures cost on a real cluster of a head and three nodes, each killed node
              SIGKILLed as a machine fails: a chain of tasks whose node dies half-way against the
              same chain without the failure, lost objects re-made, failure detection, actor and
              control-service restarts, as JSON.
          data [--out FILE] [--only NAME[,NAME...]] [--no-dask]
              Plexus.Data's figures against limits measured in the same run (single-thread loops
              of the same work times the cores, and the disk bound of the out-of-core sort), then
              Dask's word count and 2 GiB sort on this machine (../shared/peers/dask/bench.py),
              skipped with --no-dask or when Python cannot import distributed, as JSON.
          observability [--out FILE] [--rounds N] [--seconds S] [--only NAME[,NAME...]]
              The cost of observability when nobody looks: the micro suite's task and actor
              figures on an embedded cluster with the node's telemetry on (metrics served in
              Prometheus format, never scraped), off, and off again as a control, each round a
              run of each in rotating order (default 3 rounds), each figure measured for S
              seconds (default 3) after its warm-up; each figure's median each way, NAME_ratio
              (the median of the rounds' on/off ratios) and NAME_control_ratio (control/off: the
              ratio noise alone gives), and geometric means over the figures, as JSON. --only
              runs the named figures alone.
          state [--out FILE]
              The state API's task table, in process: 1 M finished tasks reported through the
              nodes' ingestion path, then the time to answer a filtered first page of 100 and a
              deep page, a summary and a job's timeline, against the bound of one second, as JSON.
          bdn [BenchmarkDotNet arguments, e.g. --filter *]
              Micro-level BenchmarkDotNet benchmarks (serializers), run in process.
        """;

    public static BenchmarkCommand Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw new UsageException("no suite given.");
        }

        var rest = args.Skip(1).ToArray();
        return args[0] switch
        {
            "-h" or "--help" or "help" => new HelpCommand(),
            "micro" => MicroCommand.FromArguments(rest),
            "cluster" => ClusterCommand.FromArguments(rest),
            "recovery" => RecoveryCommand.FromArguments(rest),
            "data" => DataCommand.FromArguments(rest),
            "observability" => ObservabilityCommand.FromArguments(rest),
            "state" => StateCommand.FromArguments(rest),
            // Hidden: the recovery suite's driver, one figure per run: FIGURE SIGNAL-DIRECTORY and the live node ids, the head's first, the victim's last.
            "recovery-driver" when rest.Length >= 5 => new RecoveryDriverCommand(rest[0], rest[1], rest[2..]),
            "recovery-driver" => throw new UsageException("recovery-driver takes FIGURE DIRECTORY and the ids of at least three nodes, the head's first."),
            // Hidden: the cluster suite's driver, run on a node's host with PLEXUS_ADDRESS; the node ids in index order.
            "cluster-driver" when rest.Length >= 2 => new ClusterDriverCommand(rest),
            "cluster-driver" => throw new UsageException("cluster-driver takes the ids of at least two nodes, the head's first."),
            // Hidden: the two ends of the TCP stream limit, each run on a node's host.
            "tcp-sink" when rest.Length == 2 => new TcpSinkCommand(rest[0], Arguments.Int(rest[1], "PORT")),
            "tcp-source" when rest.Length == 3 => new TcpSourceCommand(rest[0], Arguments.Int(rest[1], "PORT"), Arguments.Long(rest[2], "BYTES")),
            "tcp-sink" or "tcp-source" => throw new UsageException("tcp-sink takes ADDRESS PORT; tcp-source takes ADDRESS PORT BYTES."),
            "bdn" => new BdnCommand(rest),
            // Hidden: the peer process of the round-trip limit.
            "echo-server" when rest.Length == 1 => new EchoServerCommand(rest[0]),
            "echo-server" => throw new UsageException("echo-server takes exactly one argument: SOCKETNAME."),
            var other => throw new UsageException($"unknown suite '{other}' (expected micro, cluster, recovery, data, observability, state or bdn)."),
        };
    }
}

internal sealed record HelpCommand : BenchmarkCommand;

internal sealed record BdnCommand(string[] Arguments) : BenchmarkCommand;

internal sealed record EchoServerCommand(string SocketName) : BenchmarkCommand;

internal sealed record ClusterDriverCommand(IReadOnlyList<string> NodeIds) : BenchmarkCommand;

internal sealed record RecoveryDriverCommand(string Figure, string SignalDirectory, IReadOnlyList<string> NodeIds) : BenchmarkCommand;

internal sealed record TcpSinkCommand(string Address, int Port) : BenchmarkCommand;

internal sealed record TcpSourceCommand(string Address, int Port, long Bytes) : BenchmarkCommand;

/// <summary>The cluster suite: how many nodes (the head included) and where to write the JSON.</summary>
internal sealed record ClusterCommand(int Nodes, string? OutFile) : BenchmarkCommand
{
    public const int DefaultNodes = 4;

    public static ClusterCommand FromArguments(IReadOnlyList<string> args)
    {
        var nodes = DefaultNodes;
        string? outFile = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--out":
                    outFile = Arguments.ValueOf(args, ref i);
                    break;
                case "--nodes":
                    nodes = Arguments.Int(Arguments.ValueOf(args, ref i), "--nodes");
                    if (nodes < 2)
                    {
                        throw new UsageException($"--nodes must be 2 or more (a transfer needs two nodes), got {nodes}.");
                    }

                    break;
                case var flag:
                    throw new UsageException($"unknown option '{flag}' for cluster (expected --nodes N or --out FILE).");
            }
        }

        return new ClusterCommand(nodes, outFile);
    }
}

/// <summary>The recovery suite: where to write the JSON.</summary>
/// <summary>The state suite: where to write the JSON.</summary>
internal sealed record StateCommand(string? OutFile) : BenchmarkCommand
{
    public static StateCommand FromArguments(IReadOnlyList<string> args)
    {
        string? outFile = null;
        for (var i = 0; i < args.Count; i++)
        {
            outFile = args[i] == "--out"
                ? Arguments.ValueOf(args, ref i)
                : throw new UsageException($"unknown option '{args[i]}' for state (expected --out FILE).");
        }

        return new StateCommand(outFile);
    }
}

internal sealed record RecoveryCommand(string? OutFile) : BenchmarkCommand
{
    public static RecoveryCommand FromArguments(IReadOnlyList<string> args)
    {
        string? outFile = null;
        for (var i = 0; i < args.Count; i++)
        {
            outFile = args[i] == "--out"
                ? Arguments.ValueOf(args, ref i)
                : throw new UsageException($"unknown option '{args[i]}' for recovery (expected --out FILE).");
        }

        return new RecoveryCommand(outFile);
    }
}

/// <summary>The micro suite: where to write the JSON, and optionally which figures to run.</summary>
internal sealed record MicroCommand(string? OutFile, IReadOnlySet<string>? Only) : BenchmarkCommand
{
    public static MicroCommand FromArguments(IReadOnlyList<string> args)
    {
        string? outFile = null;
        HashSet<string>? only = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--out":
                    outFile = Arguments.ValueOf(args, ref i);
                    break;
                case "--only":
                    only = Arguments.Names(Arguments.ValueOf(args, ref i));
                    break;
                case var flag:
                    throw new UsageException($"unknown option '{flag}' for micro (expected --out FILE or --only NAMES).");
            }
        }

        return new MicroCommand(outFile, only);
    }
}

/// <summary>The data suite: where to write the JSON, optionally which figures to run, and whether to run Dask.</summary>
internal sealed record DataCommand(string? OutFile, IReadOnlySet<string>? Only, bool NoDask) : BenchmarkCommand
{
    public static DataCommand FromArguments(IReadOnlyList<string> args)
    {
        string? outFile = null;
        HashSet<string>? only = null;
        var noDask = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--out":
                    outFile = Arguments.ValueOf(args, ref i);
                    break;
                case "--only":
                    only = Arguments.Names(Arguments.ValueOf(args, ref i));
                    break;
                case "--no-dask":
                    noDask = true;
                    break;
                case var flag:
                    throw new UsageException($"unknown option '{flag}' for data (expected --out FILE, --only NAMES or --no-dask).");
            }
        }

        return new DataCommand(outFile, only, noDask);
    }
}

/// <summary>
/// The observability suite: where to write the JSON, how many rounds (each a run with telemetry off, one with
/// it on and a control run with it off again), how long each figure is measured, and which figures (all when null).
/// </summary>
internal sealed record ObservabilityCommand(string? OutFile, int Rounds, TimeSpan Measured, IReadOnlySet<string>? Only) : BenchmarkCommand
{
    // One full rotation: each side runs first, second and third once, so an order effect weighs on all alike.
    public const int DefaultRounds = 3;

    // Three report intervals of the node's telemetry in every window, not one that may or may not fall in it.
    public const int DefaultSeconds = 3;

    public static ObservabilityCommand FromArguments(IReadOnlyList<string> args)
    {
        string? outFile = null;
        var rounds = DefaultRounds;
        var seconds = DefaultSeconds;
        HashSet<string>? only = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--out":
                    outFile = Arguments.ValueOf(args, ref i);
                    break;
                case "--rounds":
                    rounds = AtLeastOne(Arguments.Int(Arguments.ValueOf(args, ref i), "--rounds"), "--rounds");
                    break;
                case "--seconds":
                    seconds = AtLeastOne(Arguments.Int(Arguments.ValueOf(args, ref i), "--seconds"), "--seconds");
                    break;
                case "--only":
                    only = Arguments.Names(Arguments.ValueOf(args, ref i));
                    break;
                case var flag:
                    throw new UsageException($"unknown option '{flag}' for observability (expected --out FILE, --rounds N, --seconds S or --only NAMES).");
            }
        }

        return new ObservabilityCommand(outFile, rounds, TimeSpan.FromSeconds(seconds), only);
    }

    private static int AtLeastOne(int value, string option) =>
        value >= 1 ? value : throw new UsageException($"{option} must be 1 or more, got {value}.");
}

internal static class Arguments
{
    public static string ValueOf(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException($"option '{args[i]}' needs a value.");
        }

        return args[++i];
    }

    /// <summary>The comma-separated names of an <c>--only</c> option.</summary>
    public static HashSet<string> Names(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public static int Int(string text, string name) =>
        int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : throw new UsageException($"{name} must be a whole number, got '{text}'.");

    public static long Long(string text, string name) =>
        long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : throw new UsageException($"{name} must be a whole number, got '{text}'.");
}

/// <summary>A command line that asks for nothing this program does.</summary>
internal sealed class UsageException(string message) : Exception(message);
