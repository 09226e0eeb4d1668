using Plexus.Core;
using Plexus.Node;
using Plexus.Protocol.Transport;
using Plexus.Testing;

namespace Plexus.TestingHost;

/// <summary>
/// A node started without workers (its store, scheduler and router only), which runtimes attach to
/// over the in-memory transport as a joining driver attaches to a node's socket.
/// </summary>
public sealed class SimulatedNode : IAsyncDisposable
{
    private readonly TempDirectory _storeDirectory;
    private readonly TempDirectory _spillRoot;
    // Where runtimes attach: an in-memory endpoint named for this node (node ids are random).
    private readonly TransportEndpoint _endpoint;
    private readonly List<SimulatedProcess> _processes = [];

    private SimulatedNode(NodeDaemon daemon, TempDirectory storeDirectory, TempDirectory spillRoot)
    {
        Daemon = daemon;
        _storeDirectory = storeDirectory;
        _spillRoot = spillRoot;
        _endpoint = TransportEndpoint.Parse($"mem:plexus-node-{daemon.NodeId:x16}");
    }

    /// <summary>This node's id.</summary>
    public ulong NodeId => Daemon.NodeId;

    internal NodeDaemon Daemon { get; }

    /// <summary>The nodes this node has a link to.</summary>
    public int PeerCount => Daemon.PeerCount;

    /// <summary>Requests this node's router forwarded and has not seen answered (to its runtimes or to other nodes).</summary>
    public int OpenRequests => Daemon.OpenRequests;

    /// <summary>Bytes of the store in use (objects and copies, in memory).</summary>
    public long StoreUsed => Daemon.StoreUsed;

    /// <summary>Objects (and copies of other nodes' objects) that are only on disk here.</summary>
    public int SpilledObjectCount => Daemon.SpilledObjectCount;

    /// <summary>Copies of other nodes' objects in this node's store.</summary>
    public int CopyCount => Daemon.DescribeStore().Count(o => o.CopyOf is not null);

    /// <summary>This node's own objects in its store (in memory or spilled), copies of other nodes' not counted.</summary>
    public int OwnObjectCount => Daemon.DescribeStore().Count(o => o.CopyOf is null);

    /// <summary>Requests for room in this node's store that wait (creates, and copies from other nodes).</summary>
    public int PendingCreates => Daemon.PendingCreates;

    /// <summary>Objects in this node's store that a reader pins (a runtime's view or read, a peer's copy being sent).</summary>
    public int PinnedObjectCount => Daemon.DescribeStore().Count(o => o.Pins > 0);

    /// <summary>Bytes this node sent to peers that copied its objects.</summary>
    public long TransferBytesSent => Daemon.TransferBytesSent;

    /// <summary>Bytes this node copied from peers.</summary>
    public long TransferBytesReceived => Daemon.TransferBytesReceived;

    /// <summary>The usage this node reports in its heartbeats (what `plexus status` shows as used).</summary>
    public IReadOnlyDictionary<string, double> ReportedUsage => Daemon.UsedResources();

    /// <summary>The peers this node would report unreachable with its next heartbeat.</summary>
    public IReadOnlyList<ulong> UnreachablePeers => Daemon.UnreachablePeers();

    /// <summary>The incarnation this node presents in every link's preamble.</summary>
    public ulong Incarnation => Daemon.Incarnation;

    /// <summary>
    /// Gives this node the view a control service would: <paramref name="alive"/> listed ALIVE with
    /// the incarnations given, <paramref name="dead"/> declared DEAD (its links to those are dropped).
    /// </summary>
    public async Task SeeClusterAsync(IEnumerable<(SimulatedNode Node, ulong Incarnation)> alive, IEnumerable<SimulatedNode> dead)
    {
        ArgumentNullException.ThrowIfNull(alive);
        ArgumentNullException.ThrowIfNull(dead);
        var deadIds = dead.Select(n => n.NodeId).ToList();
        Daemon.UpdateClusterView(alive.Select(n => new PeerResources(n.Node.NodeId, new Dictionary<string, double>(), new Dictionary<string, double>(), n.Incarnation)), deadIds);
        foreach (var peer in deadIds)
        {
            await Daemon.DisconnectPeerAsync(peer).ConfigureAwait(false);
        }
    }

    /// <summary>Drops this node's link to <paramref name="peer"/>, as a lost connection would.</summary>
    public Task DisconnectAsync(SimulatedNode peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return Daemon.DisconnectPeerAsync(peer.NodeId);
    }

    internal static SimulatedNode Start(TimeProvider time, ulong clusterId, string clusterToken, SimulatedNodeOptions options)
    {
        var storeDirectory = TempDirectory.InSharedMemory();
        var spillRoot = new TempDirectory();
        try
        {
            var nodeOptions = new NodeOptions
            {
                StoreCapacity = options.StoreCapacity,
                StoreDirectory = storeDirectory.Path,
                SpillDirectory = Path.Combine(spillRoot.Path, "spill"),
                TimeProvider = time,
                ClusterId = clusterId,
                ClusterToken = clusterToken,
                Resources = new Dictionary<string, double>(options.Resources),
            };
            nodeOptions.TransferChunkBytes = options.TransferChunkBytes ?? nodeOptions.TransferChunkBytes;
            nodeOptions.TransferChunksInFlight = options.TransferChunksInFlight ?? nodeOptions.TransferChunksInFlight;
            var daemon = NodeDaemon.StartWithoutWorkers(nodeOptions);
            var node = new SimulatedNode(daemon, storeDirectory, spillRoot);
            daemon.AcceptOn(InMemoryTransport.Shared.ListenAsync(node._endpoint).AsTask().GetAwaiter().GetResult());
            return node;
        }
        catch
        {
            storeDirectory.Dispose();
            spillRoot.Dispose();
            throw;
        }
    }

    /// <summary>A new runtime on this node (a process of its own, as the node sees it), attached with the cluster token.</summary>
    public async Task<SimulatedProcess> AttachAsync(CancellationToken cancellationToken = default)
    {
        var driver = await AttachedDriver.ConnectAsync(_endpoint, Daemon.ClusterToken, inlineThreshold: 100 * 1024, recordCallSites: false, JobId.NewRandom(), package: null, cancellationToken)
            .ConfigureAwait(false);
        var process = new SimulatedProcess(driver);
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            List<SimulatedProcess> processes;
            lock (_processes)
            {
                processes = [.. _processes];
            }

            foreach (var process in processes)
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }

            await Daemon.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _storeDirectory.Dispose();
            _spillRoot.Dispose();
        }
    }
}
