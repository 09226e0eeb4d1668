namespace Plexus.Cluster.Tests;

/// <summary>A test that runs the real `plexus` tool: skipped, saying why, while the tool's assembly is neither built nor named.</summary>
internal sealed class PlexusCliFactAttribute : FactAttribute
{
    public PlexusCliFactAttribute()
    {
        if (PlexusCli.FindAssembly() is null)
        {
            Skip = $"{PlexusCli.AssemblyName} is not built (src/Plexus.Cli) and {PlexusCli.PathVariable} names none.";
        }
    }
}
