using Microsoft.Extensions.Logging;
using Plexus.Node;
using Plexus.Protocol.Handshake;
using Plexus.Protocol.Transport;

namespace Plexus.Hosting.Cluster;

/// <summary>
/// The node's links to its peers over TCP: it accepts peers on its listener and, for each live
/// node of the view whose id is above its own, connects (one side connects, so a pair never
/// links twice). A peer that presents the wrong token or cluster is refused before any message
/// and logged; the node goes on serving the others.
/// </summary>
internal sealed class PeerConnector(NodeDaemon node, ITransportListener listener, ILogger logger) : IAsyncDisposable
{
    // How long a connecting peer may take to present its preamble.
    private static readonly TimeSpan PreambleTimeout = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    // Peers being connected to now, so a slow connect is not started twice.
    private readonly HashSet<ulong> _connecting = [];
    private Task _accepting = Task.CompletedTask;

    /// <summary>Where peers connect: <c>tcp:host:port</c>.</summary>
    public string Endpoint => listener.Endpoint.ToString();

    public void Start() => _accepting = AcceptLoop.RunAsync(
        listener, AcceptAsync, e => logger.LogWarning("Accepting a peer connection failed: {Reason}", e.Message), TimeProvider.System, _stopping.Token);

    /// <summary>Connects to each live node it should and is not linked to yet (in the background).</summary>
    public void LinkTo(IEnumerable<(ulong Node, string Address)> alive)
    {
        foreach (var (peer, address) in alive)
        {
            if (peer <= node.NodeId || node.IsLinkedTo(peer))
            {
                continue;
            }

            lock (_connecting)
            {
                if (!_connecting.Add(peer))
                {
                    continue;
                }
            }

            _ = ConnectAsync(peer, address);
        }
    }

    private async Task ConnectAsync(ulong peer, string address)
    {
        try
        {
            var endpoint = TransportEndpoint.Parse(address);
            var transport = await Transports.For(endpoint).ConnectAsync(endpoint, _stopping.Token).ConfigureAwait(false);
            try
            {
                await node.ConnectPeerAsync(transport, address, _stopping.Token).ConfigureAwait(false);
            }
            catch
            {
                await transport.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Tried again with the next view.
            logger.LogWarning("Could not link to node {Peer:x16} at {Address}: {Reason}", peer, address, e.Message);
        }
        finally
        {
            lock (_connecting)
            {
                _connecting.Remove(peer);
            }
        }
    }

    private async Task AcceptAsync(ITransportConnection transport)
    {
        // A connection that never presents itself must not hold its socket: anyone can reach this port.
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        handshake.CancelAfter(PreambleTimeout);
        try
        {
            await node.AcceptPeerAsync(transport, handshake.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A refused preamble, garbage, a silent peer, a second link: this connection only.
            var reason = e is PeerRefusedException or OperationCanceledException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            logger.LogWarning("Refused a peer connection: {Reason}", reason);
            await transport.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await listener.DisposeAsync().ConfigureAwait(false);
        await _accepting.ConfigureAwait(false);
        _stopping.Dispose();
    }
}
