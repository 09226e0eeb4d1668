namespace Plexus.Cluster.Tests;

/// <summary>
/// Tests that start clusters of processes, one at a time. They run beside the tests of
/// <see cref="WaitingClusterCollection"/>, which mostly wait: at most two clusters run at once, one
/// of them mostly idle, which a 2-core machine runs well; a cluster test that mostly works belongs here.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection
{
    public const string Name = "Clusters";
}
