namespace Plexus.ClusterHosting;

/// <summary>How the fixture runs the `plexus` command-line tool: the real one, or a stand-in with its interface.</summary>
internal sealed record PlexusCli(CommandLine Program)
{
    /// <summary>The environment variable that names the tool's assembly to run, overriding where it is looked for.</summary>
    public const string PathVariable = "PLEXUS_CLI";

    // Not plexus.dll: assembly names compare case-insensitively, so that name would be taken for Plexus, the API.
    public const string AssemblyName = "Plexus.Cli.dll";

    /// <summary>
    /// The tool's assembly (Plexus.Cli.dll) of this build: the one named by <c>PLEXUS_CLI</c>, else the
    /// one next to this program (a test project references the tool to have it there), else
    /// src/Plexus.Cli's Release build in this repository (always built with this project); null when none exists.
    /// </summary>
    public static string? FindAssembly()
    {
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }

        var beside = Path.Combine(AppContext.BaseDirectory, AssemblyName);
        if (File.Exists(beside))
        {
            return beside;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Plexus.slnx")))
            {
                var built = Path.Combine(dir.FullName, "src", "Plexus.Cli", "bin", "Release", "net10.0", AssemblyName);
                return File.Exists(built) ? built : null;
            }
        }

        return null;
    }

    /// <summary>The real tool, run as <c>dotnet Plexus.Cli.dll</c> on the runtime running this program.</summary>
    /// <exception cref="FileNotFoundException">Plexus.Cli.dll was not found; the message says how to build it or point to it.</exception>
    public static PlexusCli Real()
    {
        var assembly = FindAssembly() ?? throw new FileNotFoundException(
            $"{AssemblyName} was not found. Build it (dotnet build Plexus.slnx -c Release) or set {PathVariable} to its path.", AssemblyName);
        return new PlexusCli(CommandLine.Dotnet(assembly)) { ServesControlApi = true };
    }

    /// <summary>
    /// Whether the heads this tool starts serve the control service's gRPC API, which the fixture
    /// then asks for the cluster's status from its own process; false for a stand-in, whose own
    /// `status --json` it runs instead.
    /// </summary>
    public bool ServesControlApi { get; init; }

    /// <summary>The tool with <paramref name="arguments"/>.</summary>
    public CommandLine Command(params IEnumerable<string> arguments) => Program.With(arguments);
}
