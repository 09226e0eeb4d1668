namespace Plexus.ClusterHosting;

/// <summary>One node of a <see cref="TestCluster"/>: where it runs, its directory, its process, and what it wrote once serving.</summary>
/// <param name="Index">0 for the head, then in the order nodes were started.</param>
/// <param name="Host">Its address (and namespace).</param>
/// <param name="TempDirectory">Its <c>--temp-dir</c>: store, logs, node.json; the head's also holds the token.</param>
/// <param name="Process">The `plexus start --block` process.</param>
/// <param name="State">Its node.json.</param>
internal sealed record TestNode(int Index, NodeHost Host, string TempDirectory, ClusterProcess Process, NodeStateFile State)
{
    public string Name => Index == 0 ? "head" : $"node {Index}";

    /// <summary>Where it serves its metrics (<see cref="NodeOptions.ServeMetrics"/>); null when it serves none.</summary>
    public Uri? MetricsUrl { get; init; }

    public override string ToString() => $"{Name} ({Host})";
}
