namespace Plexus.Cluster.Tests;

/// <summary>The python3 stand-ins copied next to the tests (StandIns/*.py), as commands.</summary>
internal static class StandIn
{
    /// <summary>The stand-in `plexus` (StandIns/fake_plexus.py): a head that lists the nodes that registered, no runtime.</summary>
    public static PlexusCli Cli { get; } = new(Command("fake_plexus.py"));

    public static CommandLine Command(string script, params string[] arguments) =>
        new("python3", [Path.Combine(AppContext.BaseDirectory, "StandIns", script), .. arguments]);
}
