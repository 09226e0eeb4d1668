namespace Plexus.ClusterDriver;

/// <summary><c>nodes</c>: the cluster's nodes as the driver lists them: id, whether it is the driver's own, and what each offers.</summary>
internal static class NodesScenario
{
    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context) =>
        new { Self = plexus.NodeId, Nodes = await plexus.GetNodesAsync() };
}
