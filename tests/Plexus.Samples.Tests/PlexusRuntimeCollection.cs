namespace Plexus.Samples.Tests;

/// <summary>
/// Tests that start a Plexus runtime, in this process or in a sample's process. A process holds one
/// runtime at a time, and a 2-core machine runs one cluster at a time well: these run one by one.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PlexusRuntimeCollection
{
    public const string Name = "Plexus runtime";
}
