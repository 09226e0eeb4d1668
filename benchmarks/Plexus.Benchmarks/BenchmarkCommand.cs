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
            "bdn" => new BdnCommand(rest),
            // Hidden: the peer process of the round-trip limit.
            "echo-server" when rest.Length == 1 => new EchoServerCommand(rest[0]),
            "echo-server" => throw new UsageException("echo-server takes exactly one argument: SOCKETNAME."),
            var other => throw new UsageException($"unknown suite '{other}' (expected micro or bdn)."),
        };
    }
}

internal sealed record HelpCommand : BenchmarkCommand;

internal sealed record BdnCommand(string[] Arguments) : BenchmarkCommand;

internal sealed record EchoServerCommand(string SocketName) : BenchmarkCommand;

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
                    outFile = ValueOf(args, ref i);
                    break;
                case "--only":
                    only = [.. ValueOf(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    break;
                case var flag:
                    throw new UsageException($"unknown option '{flag}' for micro (expected --out FILE or --only NAMES).");
            }
        }

        return new MicroCommand(outFile, only);
    }

    private static string ValueOf(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException($"option '{args[i]}' needs a value.");
        }

        return args[++i];
    }
}

/// <summary>A command line that asks for nothing this program does.</summary>
internal sealed class UsageException(string message) : Exception(message);
