namespace Plexus.Cluster.Tests;

/// <summary>
/// Cluster tests that spend most of their time waiting (for a killed node or service to be noticed,
/// a restart's delay, a held task), one at a time, beside <see cref="ClusterCollection"/>'s: the
/// other cluster works while these wait.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WaitingClusterCollection
{
    public const string Name = "Waiting clusters";
}
