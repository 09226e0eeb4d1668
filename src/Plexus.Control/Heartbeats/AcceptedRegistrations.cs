using System.Collections.Concurrent;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Heartbeats;

/// <summary>
/// The latest accepted registration of each node registered through one client: what its
/// heartbeat loop sends again when the service has forgotten the node.
/// </summary>
internal sealed class AcceptedRegistrations
{
    // Node id (lower-case hex) -> the latest accepted registration; replaced whole, never mutated.
    private readonly ConcurrentDictionary<string, Accepted> _byNode = new(StringComparer.Ordinal);

    public void Record(Proto.RegisterNodeRequest request, NodeRegistration reply)
    {
        if (reply.Accepted)
        {
            _byNode[Convert.ToHexStringLower(request.NodeId.Span)] = new Accepted(request, reply.HeartbeatInterval);
        }
    }

    /// <exception cref="InvalidOperationException">The node was not registered through this client.</exception>
    public Accepted Get(byte[] nodeId)
    {
        string key = Convert.ToHexStringLower(nodeId);
        return _byNode.TryGetValue(key, out var accepted)
            ? accepted
            : throw new InvalidOperationException(
                $"Node {key} was not registered through this client; call RegisterNodeAsync before running its heartbeat loop.");
    }

    /// <param name="Request">What the node registered with; sent again to re-register it.</param>
    /// <param name="HeartbeatInterval">How often the service asked the node to heartbeat.</param>
    internal sealed record Accepted(Proto.RegisterNodeRequest Request, TimeSpan HeartbeatInterval);
}
