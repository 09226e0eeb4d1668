namespace Plexus.Data.Tests;

public sealed class ArchitectureTests
{
    [Fact]
    public void PlexusDataReferencesNoPlexusAssemblyButThePublicApi()
    {
        var plexusReferences = typeof(INormalizedKey<>).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Plexus", StringComparison.Ordinal));
        Assert.All(plexusReferences, name => Assert.Equal("Plexus", name));
    }
}
