using Microsoft.Extensions.Time.Testing;
using Plexus.Protocol.Messages;

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

    /// <summary>Starts <paramref name="nodes"/> nodes and links each pair of them.</summary>
    public static InProcessCluster Start(int nodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        var cluster = new InProcessCluster();
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                cluster._nodes.Add(SimulatedNode.Start(cluster.Time));
            }

            for (var i = 0; i < nodes; i++)
            {
                for (var j = i + 1; j < nodes; j++)
                {
                    Link(cluster._nodes[i], cluster._nodes[j]);
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

    // One in-memory connection per pair of nodes; each side serves it as its link to the other.
    // Nodes in one test process trust each other: no preamble on these links.
    private static void Link(SimulatedNode a, SimulatedNode b)
    {
        var (toB, toA) = InMemoryPair.Create();
        _ = a.Daemon.ServePeerAsync(b.NodeId, MessageConnection.Open(toB));
        _ = b.Daemon.ServePeerAsync(a.NodeId, MessageConnection.Open(toA));
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
