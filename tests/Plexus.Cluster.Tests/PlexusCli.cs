namespace Plexus.Cluster.Tests;

/// <summary>How the fixture runs the `plexus` command-line tool: the real one, or a stand-in with its interface.</summary>
internal sealed record PlexusCli(CommandLine Program)
{
    /// <summary>The environment variable that names the Plexus.Cli.dll to run, overriding where it is looked for.</summary>
    public const string PathVariable = "PLEXUS_CLI";

    // The tool's assembly (its command is `plexus` only once installed as a tool).
    private const string AssemblyName = "Plexus.Cli.dll";

    /// <summary>The stand-in (StandIns/fake_plexus.py): a head that lists the nodes that registered, no runtime.</summary>
    public static PlexusCli StandIn { get; } = new(Tests.StandIn.Command("fake_plexus.py"));

    /// <summary>
    /// The Plexus.Cli.dll of this build: the one named by <c>PLEXUS_CLI</c>, else the one next to the
    /// tests (the project reference puts it there), else src/Plexus.Cli's Release build in this
    /// repository; null when none exists.
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

    /// <summary>The real tool, run as <c>dotnet Plexus.Cli.dll</c> on the runtime running the tests.</summary>
    /// <exception cref="FileNotFoundException">Plexus.Cli.dll was not found; the message says how to build it or point to it.</exception>
    public static PlexusCli Real()
    {
        var assembly = FindAssembly() ?? throw new FileNotFoundException(
            $"{AssemblyName} was not found. Build it (dotnet build Plexus.slnx -c Release) or set {PathVariable} to its path.", AssemblyName);
        return new PlexusCli(new CommandLine(DotnetHost(), assembly));
    }

    /// <summary>The tool with <paramref name="arguments"/>.</summary>
    public CommandLine Command(params IEnumerable<string> arguments) => Program.With(arguments);

    /// <summary>The host running these tests when it is `dotnet`, so the programs they start run on the same runtime.</summary>
    public static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
