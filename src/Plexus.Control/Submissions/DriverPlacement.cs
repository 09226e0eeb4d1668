using Google.Protobuf;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Submissions;

/// <summary>
/// Which node runs a submitted driver: the head's node (the node on the head machine, found by its
/// address: the control service listens on the head node's address) while it is alive, so drivers
/// run beside the service as with Ray; else any alive node. Never a driver's own node (it offers
/// no CPUs and ends with its driver).
/// </summary>
internal static class DriverPlacement
{
    /// <summary>The resource a driver's own node registers with (Plexus.Hosting's <c>DriverNode.Marker</c>).</summary>
    public const string DriverNodeMarker = "driver_node";

    /// <summary>Whether <paramref name="nodeId"/> should take the drivers waiting for a node.</summary>
    /// <param name="nodes">The cluster's nodes, as the membership lists them.</param>
    /// <param name="nodeId">The node asking (in its heartbeat).</param>
    /// <param name="headHost">The head machine's address; null when the service cannot tell (it listens on every interface).</param>
    public static bool Takes(Proto.ListNodesReply nodes, ByteString nodeId, string? headHost)
    {
        var candidates = nodes.Nodes.Where(static n => n.State == Proto.NodeState.Alive && !n.Resources.ContainsKey(DriverNodeMarker)).ToList();
        var head = headHost is null ? null : candidates.FirstOrDefault(n => HostOf(n.Address) == headHost);
        return head is not null ? head.NodeId == nodeId : candidates.Any(n => n.NodeId == nodeId);
    }

    // "tcp:10.0.0.5:7001" (or "tcp://[::1]:7001") -> "10.0.0.5" ("::1"); null when it is of another form.
    private static string? HostOf(string address)
    {
        string rest = address.StartsWith("tcp://", StringComparison.Ordinal) ? address[6..]
            : address.StartsWith("tcp:", StringComparison.Ordinal) ? address[4..]
            : address;
        int colon = rest.LastIndexOf(':');
        return colon > 0 ? rest[..colon].Trim('[', ']') : null;
    }
}
