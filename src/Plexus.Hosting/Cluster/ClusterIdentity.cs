using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Plexus.Hosting.Cluster;

/// <summary>How a cluster and its nodes are named on the wire and in the control service.</summary>
internal static class ClusterIdentity
{
    /// <summary>
    /// The cluster's id, which every node presents in its preamble: derived from the token, so the
    /// nodes given one token form one cluster with nothing else to agree on (never 0, which means
    /// "whichever cluster" for a worker or driver).
    /// </summary>
    public static ulong ClusterIdOf(string token) =>
        BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(token))) | 1;
}
