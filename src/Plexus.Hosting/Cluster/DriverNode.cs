using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Plexus.Control;
using Plexus.Core;
using Plexus.Node;
using Plexus.Protocol.Transport;

namespace Plexus.Hosting.Cluster;

/// <summary>
/// The node a driver brings on a machine where no node of the cluster runs: a node daemon in the
/// driver's process that offers no CPUs and starts no workers (placement never gives it work), with
/// a store of its own under a temporary directory, that joins the cluster over TCP like any node
/// (its peer listener on the address that routes to the head, the token in every link's preamble),
/// registers with the control service as a driver's node, and heartbeats. The driver's runtime is
/// attached to it by direct calls, as the embedded cluster's is: its objects go in this store and
/// reach the other nodes by the nodes' transfers; its tasks go where placement sends them.
/// Disposing it closes the runtime, unregisters the node, stops it and removes its directory.
/// When the cluster declares this node dead (cut off from the head longer than the node timeout),
/// the runtime closes with <see cref="NodeUnavailableException"/> saying so: its objects and tasks
/// count as lost cluster-wide, and the node is never taken back.
/// </summary>
internal sealed class DriverNode : IAsyncDisposable
{
    /// <summary>
    /// The resource a driver's node registers (1) beside its 0 CPUs, so `plexus status` shows it as
    /// a driver's and other drivers do not take it for their machine's node.
    /// </summary>
    public const string Marker = "driver_node";

    // The node starts no workers, so it waits for none; the start takes no longer than this.
    private static readonly TimeSpan NoWorkersStartTimeout = TimeSpan.FromSeconds(1);
    // How long the node may take to link to every node that runs work: they connect within a heartbeat or two.
    private static readonly TimeSpan LinkTimeout = TimeSpan.FromSeconds(30);
    // How often the links are looked at while they come up.
    private static readonly TimeSpan LinkPollInterval = TimeSpan.FromMilliseconds(20);

    private readonly NodeDaemon _node;
    private readonly PeerConnector _peers;
    private readonly ClusterMembership _membership;
    // Answers the control service's requests of this node: what the driver's runtime holds.
    private readonly NodeRequestServer _requests;
    private readonly DirectoryInfo _directory;
    private CoreRuntime? _runtime;

    private DriverNode(NodeDaemon node, PeerConnector peers, ClusterMembership membership, NodeRequestServer requests, DirectoryInfo directory)
    {
        _node = node;
        _peers = peers;
        _membership = membership;
        _requests = requests;
        _directory = directory;
        _ = CloseRuntimeWhenFencedAsync();
    }

    /// <summary>This node's id.</summary>
    public ulong NodeId => _node.NodeId;

    /// <summary>
    /// Starts the node, registers it with the control service and returns once it is linked to
    /// every live node that offers CPUs. Throws <see cref="NodeUnavailableException"/> when those
    /// nodes and this machine cannot reach each other over TCP, and what the control client throws
    /// when the head cannot be reached or refuses the token.
    /// </summary>
    public static async Task<DriverNode> StartAsync(
        Uri head, IControlClient control, string token, PlexusOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger<DriverNode>();
        var ip = await LocalAddressTowardAsync(head, cancellationToken).ConfigureAwait(false);
        var directory = Directory.CreateTempSubdirectory("plexus-driver-");
        var started = new List<IAsyncDisposable>();
        try
        {
            var node = await NodeDaemon.StartAsync(NodeOptionsFor(options, token, directory.FullName),
                _ => throw new InvalidOperationException("A driver's node starts no workers."),
                NoWorkersStartTimeout, loggerFactory, cancellationToken).ConfigureAwait(false);
            started.Add(node);
            var listener = await TcpTransport.Instance.ListenAsync(TransportEndpoint.Tcp(ip.ToString(), 0), cancellationToken).ConfigureAwait(false);
            var peers = new PeerConnector(node, listener, logger);
            started.Add(peers);
            peers.Start();
            var membership = new ClusterMembership(node, control, peers, peers.Endpoint, ClusterMembership.HeartbeatInterval, logger);
            await membership.StartAsync(cancellationToken).ConfigureAwait(false);
            started.Add(membership);
            await WaitForLinksAsync(node, control, peers.Endpoint, cancellationToken).ConfigureAwait(false);
            // It keeps no log files of its own: the driver's output is the program's.
            var requests = new NodeRequestServer(control, ControlIds.Node(node.NodeId), logs: null, node, logger);
            logger.LogInformation("Driver's node {Node:x16} serves at {Address}", node.NodeId, peers.Endpoint);
            return new DriverNode(node, peers, membership, requests, directory);
        }
        catch
        {
            // Last first: leave the cluster, stop linking, stop the node.
            for (var i = started.Count - 1; i >= 0; i--)
            {
                await started[i].DisposeAsync().ConfigureAwait(false);
            }

            directory.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>Attaches the driver's runtime of job <paramref name="job"/>, whose code is package <paramref name="package"/>.</summary>
    public CoreRuntime AttachRuntime(JobId job, string package, PlexusOptions options)
    {
        CoreRuntime? runtime = null;
        var send = _node.AttachDriver(message => runtime!.Deliver(message), job, package);
        runtime = new CoreRuntime(job, new ProcessAddress(_node.NodeId, ProcessAddress.DriverProcess), options.InlineThreshold, send,
            (_, sendToNode) => new DirectStoreAccess(_node, sendToNode), _node.Capabilities)
        {
            RecordCallSites = options.RecordCallSites,
            MaxLineageBytes = options.MaxLineageBytes,
            Namespace = options.Namespace,
        };
        _runtime = runtime;
        return runtime;
    }

    private static NodeOptions NodeOptionsFor(PlexusOptions options, string token, string directory) => new()
    {
        Cpus = 0,
        WorkerCount = 0,
        ClusterId = ClusterIdentity.ClusterIdOf(token),
        ClusterToken = token,
        StoreCapacity = options.StoreCapacity ?? NodeOptions.DefaultStoreCapacity(),
        SpillDirectory = directory,
        SpillEnabled = options.SpillEnabled,
        Resources = { [Marker] = 1 },
        // Its packages' pools have no workers: nothing to fetch.
        PreparePackage = (_, _) => Task.CompletedTask,
    };

    // The address of this machine that packets to the head leave from: the one its nodes can reach
    // this node at (connecting a UDP socket sends nothing; it only chooses the route).
    private static async Task<IPAddress> LocalAddressTowardAsync(Uri head, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(head.Host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(head.Host, cancellationToken).ConfigureAwait(false);
        foreach (var address in addresses)
        {
            try
            {
                using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                socket.Connect(new IPEndPoint(address, head.Port));
                return ((IPEndPoint)socket.LocalEndPoint!).Address;
            }
            catch (SocketException)
            {
                // No route to this one: the next address of the head, if any.
            }
        }

        throw new NodeUnavailableException(
            $"This machine has no route to the cluster's head at {head.Authority}: check PLEXUS_ADDRESS and this machine's network.");
    }

    // Until this node is linked to every live node that runs work: a task or actor placed before
    // its link is up would wait (a task) or be created here (an actor with no node linked).
    private static async Task WaitForLinksAsync(NodeDaemon node, IControlClient control, string endpoint, CancellationToken cancellationToken)
    {
        var nodes = await control.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        var workers = nodes.Where(n => n.State == NodeState.Alive && n.Resources.GetValueOrDefault(Plexus.Node.Resources.Cpu) > 0)
            .Select(n => (Id: ControlIds.NodeOf(n.NodeId), n.Address)).Where(n => n.Id != 0 && n.Id != node.NodeId).ToList();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(LinkTimeout);
        try
        {
            while (workers.Any(n => !node.IsLinkedTo(n.Id)))
            {
                await Task.Delay(LinkPollInterval, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var unlinked = string.Join(", ", workers.Where(n => !node.IsLinkedTo(n.Id)).Select(n => $"{n.Id:x16} at {n.Address}"));
            throw new NodeUnavailableException(
                $"This driver's node could not link to the cluster's nodes {unlinked} within {LinkTimeout.TotalSeconds:0} s. " +
                $"Each must reach this machine at {endpoint} over TCP and this machine each of them: check firewalls and routes.");
        }
    }

    private async Task CloseRuntimeWhenFencedAsync()
    {
        string reason = await _membership.Fenced.ConfigureAwait(false);
        _runtime?.Close(DriversNodeDeclaredDead.Error(NodeId, reason));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _runtime?.Close(new ObjectDisposedException("The Plexus runtime was disposed.", (Exception?)null));
        // Leave first, so no node sends more here, then stop.
        await _requests.DisposeAsync().ConfigureAwait(false);
        await _membership.DisposeAsync().ConfigureAwait(false);
        await _peers.DisposeAsync().ConfigureAwait(false);
        await _node.DisposeAsync().ConfigureAwait(false);
        _directory.Delete(recursive: true);
    }
}
