using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Plexus.Control;

/// <summary>How a cluster is named: on the wire by its nodes, and in storage shared with other clusters.</summary>
internal static class ClusterIds
{
    /// <summary>
    /// The cluster's id, derived from the token, so the nodes given one token form one cluster
    /// with nothing else to agree on (never 0, which means "whichever cluster" for a worker or driver).
    /// </summary>
    public static ulong Of(string token) =>
        BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(token))) | 1;
}
