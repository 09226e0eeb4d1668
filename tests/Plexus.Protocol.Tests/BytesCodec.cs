using System.Buffers;
using Plexus.Protocol.Framing;

namespace Plexus.Protocol.Tests;

/// <summary>Frame bodies as raw bytes: framing tested apart from any message type.</summary>
internal sealed class BytesCodec : IFrameCodec<byte[]>
{
    public static BytesCodec Instance { get; } = new();

    public void Write(IBufferWriter<byte> body, byte[] message) => body.Write(message);

    public byte[] Read(in ReadOnlySequence<byte> body) => body.ToArray();
}
