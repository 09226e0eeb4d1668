namespace Plexus.Cluster.Tests;

/// <summary>
/// Tests that start clusters of processes or build test networks. A 2-core machine runs one
/// cluster at a time well, so these run one by one.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Clusters";
}
