using Microsoft.Extensions.Time.Testing;

namespace Plexus.TestingHost;

/// <summary>
/// Several worker-less nodes in this process, each linked to every other over the in-memory
/// transport, on one <see cref="FakeTimeProvider"/>: the routing between nodes, tested without
/// sockets or processes. Runtimes join a node with <see cref="SimulatedNode.AttachAsync"/>.
/// Disposing stops every runtime and node and removes their directories, even after a failure.
/// </summary>
public sealed class InProcessCluster : IAsyncDisposable
{
    private readonly List<SimulatedNode> _nodes = [];

    private InProcessCluster()
    {
    }

    /// <summary>The clock of every node: nothing in them times out unless a test moves it on.</summary>
    public FakeTimeProvider Time { get; } = new();

    /// <summary>The nodes, in the order they were started.</summary>
    public IReadOnlyList<SimulatedNode> Nodes => _nodes;

    /// <summary>
    /// Starts <paramref name="nodes"/> nodes of one cluster (a random cluster id and token) and
    /// links each pair of them, each link opened with the preamble as between machines. Each node
    /// runs with <paramref name="options"/> (default: a 4 MiB store, the node's transfer settings).
    /// </summary>
    public static InProcessCluster Start(int nodes, SimulatedNodeOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        options ??= new SimulatedNodeOptions();
        var cluster = new InProcessCluster();
        var clusterId = (ulong)Random.Shared.NextInt64() | 1;
        var token = Guid.NewGuid().ToString("N");
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                cluster._nodes.Add(SimulatedNode.Start(cluster.Time, clusterId, token, options));
            }

            for (var i = 0; i < nodes; i++)
            {
                for (var j = i + 1; j < nodes; j++)
                {
                    LinkAsync(cluster._nodes[i], cluster._nodes[j], options.LinkOverTcp).GetAwaiter().GetResult();
                }
            }

            return cluster;
        }
        catch
        {
            cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>
    /// Links two nodes over a new connection (in memory, or over TCP on the loopback address when
    /// <paramref name="overTcp"/>), <paramref name="a"/> connecting: each learns the other from the
    /// preamble. Throws the refusal <paramref name="a"/> gets (another cluster's token or id) and
    /// links neither then.
    /// </summary>
    public static async Task LinkAsync(SimulatedNode a, SimulatedNode b, bool overTcp = false)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var (connector, acceptor) = ConnectionPair.Create(overTcp);
        var accepting = b.Daemon.AcceptPeerAsync(acceptor);
        try
        {
            await a.Daemon.ConnectPeerAsync(connector, $"mem:plexus-node-{b.NodeId:x16}").ConfigureAwait(false);
            await accepting.ConfigureAwait(false);
        }
        catch
        {
            await connector.DisposeAsync().ConfigureAwait(false);
            await acceptor.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }
}
