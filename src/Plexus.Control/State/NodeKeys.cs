using System.Buffers.Binary;
using Google.Protobuf;

namespace Plexus.Control.State;

/// <summary>Node ids as the control service's messages carry them: 8 bytes, big-endian.</summary>
internal static class NodeKeys
{
    /// <exception cref="ArgumentException">The id is not 8 bytes; the message names <paramref name="field"/>.</exception>
    public static ulong Parse(ByteString bytes, string field) => bytes.Length == 8
        ? BinaryPrimitives.ReadUInt64BigEndian(bytes.Span)
        : throw new ArgumentException($"{field} must be a node id of 8 bytes; it has {bytes.Length}.");

    public static ByteString ToBytes(ulong node)
    {
        if (node == 0)
        {
            return ByteString.Empty;
        }

        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, node);
        return ByteString.CopyFrom(bytes);
    }
}
