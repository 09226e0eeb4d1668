using Plexus.Control;

namespace Plexus.Hosting.Cluster;

/// <summary>How a cluster and its nodes are named on the wire and in the control service.</summary>
internal static class ClusterIdentity
{
    /// <summary>
    /// The cluster's id, which every node presents in its preamble (<see cref="ClusterIds.Of"/>:
    /// the control service keys its shared storage by the same id).
    /// </summary>
    public static ulong ClusterIdOf(string token) => ClusterIds.Of(token);
}
