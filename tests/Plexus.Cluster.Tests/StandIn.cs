namespace Plexus.Cluster.Tests;

/// <summary>The python3 stand-ins copied next to the tests (StandIns/*.py), as commands.</summary>
internal static class StandIn
{
    public static CommandLine Command(string script, params string[] arguments) =>
        new("python3", [Path.Combine(AppContext.BaseDirectory, "StandIns", script), .. arguments]);
}
