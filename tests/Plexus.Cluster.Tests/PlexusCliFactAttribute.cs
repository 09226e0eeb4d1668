namespace Plexus.Cluster.Tests;

/// <summary>A test that runs the real `plexus` tool: skipped, saying why, while no Plexus.Cli.dll is built or named.</summary>
internal sealed class PlexusCliFactAttribute : FactAttribute
{
    public PlexusCliFactAttribute()
    {
        if (PlexusCli.FindAssembly() is null)
        {
            Skip = $"Plexus.Cli.dll is not built (src/Plexus.Cli) and {PlexusCli.PathVariable} names none.";
        }
    }
}
