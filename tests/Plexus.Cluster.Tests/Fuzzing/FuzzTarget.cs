using System.Net;

namespace Plexus.Cluster.Tests.Fuzzing;

/// <summary>A listening port of a test cluster's node, and who it belongs to.</summary>
/// <param name="Node">The node that listens ("head", "node 2").</param>
/// <param name="Endpoint">Where to connect.</param>
/// <param name="NodeId">That node's id.</param>
/// <param name="PeerIds">The ids of the other nodes, to which it is linked.</param>
internal sealed record FuzzTarget(string Node, IPEndPoint Endpoint, ulong NodeId, IReadOnlyList<ulong> PeerIds)
{
    public override string ToString() => $"{Node} at {Endpoint}";
}
