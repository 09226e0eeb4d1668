namespace Plexus.Benchmarks.Cluster;

/// <summary>
/// The nodes as the driver sees them, by their ids (hex, as the control service lists them) in the
/// order the suite started them: the head first. The driver runs on node 1 (<see cref="Local"/>,
/// where it stores objects); <see cref="Remote"/> is node 2, or the head in a two-node cluster.
/// </summary>
internal sealed record ClusterNodes(IReadOnlyList<string> Ids)
{
    public string Local => Ids[1];

    public string Remote => Ids.Count > 2 ? Ids[2] : Ids[0];

    /// <summary>Up to <paramref name="count"/> nodes, the driver's first: where work that fans out runs.</summary>
    public IReadOnlyList<string> Spread(int count) => [.. Ids.Skip(1).Concat(Ids.Take(1)).Take(count)];

    /// <summary>Options that pin a task to node <paramref name="id"/>.</summary>
    public static TaskOptions PinnedTo(string id) => new() { Strategy = SchedulingStrategy.NodeAffinity(id) };
}
