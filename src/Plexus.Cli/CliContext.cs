namespace Plexus.Cli;

/// <summary>
/// What a command reads from and writes to outside its arguments: the output streams, the
/// environment and the default node directory. The process passes its own; tests pass writers they
/// read back and an environment of their own, so they can run commands in parallel in one process.
/// </summary>
internal sealed class CliContext
{
    /// <summary>The environment variable holding the cluster token.</summary>
    public const string TokenVariable = "PLEXUS_TOKEN";

    /// <summary>The environment variable holding the head's control address (what drivers read too).</summary>
    public const string AddressVariable = PlexusRuntime.AddressVariable;

    /// <summary>Where results go (standard output for the process).</summary>
    public required TextWriter Output { get; init; }

    /// <summary>Where errors go (standard error for the process).</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Reads an environment variable; null when it is not set.</summary>
    public required Func<string, string?> GetEnvironmentVariable { get; init; }

    /// <summary>The node directory when <c>--temp-dir</c> is not given: <c>/tmp/plexus</c> for the process.</summary>
    public required string DefaultTempDirectory { get; init; }

    /// <summary>True when <see cref="Output"/> is a terminal: only then are tables coloured.</summary>
    public bool OutputIsTerminal { get; init; }

    /// <summary>The process's own streams and environment.</summary>
    public static CliContext ForProcess() => new()
    {
        Output = Console.Out,
        Error = Console.Error,
        GetEnvironmentVariable = Environment.GetEnvironmentVariable,
        DefaultTempDirectory = Path.Combine(Path.GetTempPath(), "plexus"),
        OutputIsTerminal = !Console.IsOutputRedirected,
    };

    /// <summary>The environment variable <paramref name="name"/>, or null when it is unset or empty.</summary>
    public string? Variable(string name) => GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
