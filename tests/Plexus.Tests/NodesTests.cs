namespace Plexus.Tests;

/// <summary>A driver lists the cluster's nodes with what each offers; an embedded cluster is its one node, and a task cannot list them.</summary>
[Slow]
public sealed class NodesTests(OneCpuCluster cluster) : IClassFixture<OneCpuCluster>
{
    private PlexusRuntime Plexus => cluster.Plexus;

    [Fact]
    public async Task AnEmbeddedClusterIsItsOneNodeWithItsCpusAndStore()
    {
        var node = Assert.Single(await Plexus.GetNodesAsync());

        Assert.Equal(Plexus.NodeId, node.NodeId);
        Assert.True(node.IsLocal);
        Assert.Equal(1, node.Resources["CPU"]);
        Assert.Equal(512L << 20, node.Resources["object_store_memory"]);
    }

    [Fact]
    public async Task ATaskCannotListTheNodes()
    {
        var listed = Plexus.Task<string>(NodeFunctions.ListNodes).Remote();

        Assert.Contains("Only a driver lists the cluster's nodes", await listed);
    }
}

public static class NodeFunctions
{
    /// <summary>What listing the nodes inside a task throws, as its message.</summary>
    public static async Task<string> ListNodes()
    {
        try
        {
            return $"listed {(await PlexusRuntime.Current.GetNodesAsync()).Count}";
        }
        catch (NotSupportedException e)
        {
            return e.Message;
        }
    }
}
