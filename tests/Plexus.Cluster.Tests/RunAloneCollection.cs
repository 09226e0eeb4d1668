namespace Plexus.Cluster.Tests;

/// <summary>
/// Tests that need this process to themselves: they change its environment (PLEXUS_CLI, which every
/// cluster start reads), compare the machine's whole list of namespaces and links before and after, or
/// declare nodes dead after 3 s of silence, which a cluster working beside them could cause.
/// xunit runs them after every other collection, one by one.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunAloneCollection
{
    public const string Name = "Run alone";
}
