namespace Plexus.Cli;

/// <summary>The <c>plexus</c> tool's process entry point.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => PlexusCommandLine.RunAsync(args, CliContext.ForProcess());
}
