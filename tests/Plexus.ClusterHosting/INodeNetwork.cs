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
}
