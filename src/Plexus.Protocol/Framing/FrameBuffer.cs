using System.Buffers;
using System.Buffers.Binary;

namespace Plexus.Protocol.Framing;

/// <summary>
/// A growable byte buffer that frames are written into, with the length prefix patched in after
/// the body is serialized (which <see cref="ArrayBufferWriter{T}"/> does not allow).
/// </summary>
internal sealed class FrameBuffer : IBufferWriter<byte>
{
    // The length prefix: a 4-byte little-endian body length.
    public const int PrefixBytes = 4;

    private byte[] _buffer;
    // The number of bytes written so far.
    private int _written;

    public FrameBuffer(int initialCapacity) => _buffer = new byte[initialCapacity];

    public int WrittenCount => _written;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public void Clear() => _written = 0;

    /// <summary>Reserves a 4-byte length prefix and returns where it starts.</summary>
    public int BeginFrame()
    {
        var start = _written;
        GetSpan(PrefixBytes);
        _written += PrefixBytes;
        return start;
    }

    /// <summary>Patches the length prefix of the frame that began at <paramref name="start"/>.</summary>
    public int EndFrame(int start)
    {
        var bodyLength = _written - start - PrefixBytes;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start, PrefixBytes), bodyLength);
        return bodyLength;
    }

    /// <summary>Drops everything written after <paramref name="start"/> (a frame that failed to serialize).</summary>
    public void Truncate(int start) => _written = start;

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 256);
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        }
    }
}
