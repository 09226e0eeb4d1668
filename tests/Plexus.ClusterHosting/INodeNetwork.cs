namespace Plexus.ClusterHosting;

/// <summary>What the nodes of a test cluster run on: a host (an address) for each node.</summary>
internal interface INodeNetwork : IAsyncDisposable
{
    /// <summary>The hosts added so far, in order.</summary>
    IReadOnlyList<NodeHost> Hosts { get; }

    /// <summary>Adds a host for one more node.</summary>
    /// <exception cref="NetworkSetupException">The host could not be set up.</exception>
    Task<NodeHost> AddHostAsync();

    /// <summary>A TCP port that is free on <paramref name="host"/> (as far as can be known before binding it).</summary>
    int FreePort(NodeHost host);

    /// <summary>
    /// Cuts <paramref name="host"/> off from every other host, as a pulled cable would: its packets
    /// are dropped silently (no FIN, no RST), so its connections stay open until they time out.
    /// </summary>
    /// <exception cref="NotSupportedException">The network cannot cut one host off (hosts share the loopback device).</exception>
    Task PartitionAsync(NodeHost host);

    /// <summary>Reconnects a host cut off by <see cref="PartitionAsync"/>.</summary>
    /// <exception cref="NotSupportedException">The network cannot cut one host off.</exception>
    Task HealAsync(NodeHost host);
}
