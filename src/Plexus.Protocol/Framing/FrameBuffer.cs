using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace Plexus.Protocol.Framing;

/// <summary>
/// A growable byte buffer that frames are written into, with the length prefix patched in after
/// the body is serialized (which <see cref="ArrayBufferWriter{T}"/> does not allow). A frame's
/// payload (<see cref="IFramePayload"/>) is kept apart, in a pooled array of its own, so that bulk
/// bytes neither grow the buffer nor cost an allocation once the pool holds arrays of their size.
/// </summary>
internal sealed class FrameBuffer : IBufferWriter<byte>
{
    // The length prefix: a 4-byte little-endian body length.
    public const int PrefixBytes = 4;

    // Set in the length prefix of a frame whose body is the message's length, the message and a
    // payload; frame lengths are far below it.
    public const uint PayloadFlag = 0x8000_0000;

    // Arrays for payloads, shared by every connection. The shared pool keeps few arrays this large,
    // per thread and core, and payloads are rented under a sender's lock and returned by the
    // flusher on another thread: it missed more often than not. This one keeps up to 16 arrays of
    // each size to the largest frame, whichever thread returns them.
    private static readonly ArrayPool<byte> PayloadPool = ArrayPool<byte>.Create(FrameConnectionOptions.DefaultMaxFrameBytes, maxArraysPerBucket: 16);

    // Payloads, in the order of their frames: each goes on the wire after byte At of _buffer.
    private readonly List<(int At, byte[] Bytes, int Length)> _payloads = [];
    private byte[] _buffer;
    // The number of bytes written to _buffer so far.
    private int _written;
    // The bytes of the payloads held in _payloads.
    private long _payloadBytes;

    public FrameBuffer(int initialCapacity) => _buffer = new byte[initialCapacity];

    /// <summary>The bytes of every frame held, payloads included.</summary>
    public long WrittenCount => _written + _payloadBytes;

    /// <summary>Empties the buffer, giving the payloads' arrays back to the pool.</summary>
    public void Clear()
    {
        _written = 0;
        ReturnPayloadsFrom(0);
    }

    /// <summary>
    /// Reserves a 4-byte length prefix (and, for a frame with a payload, the 4-byte length of its
    /// message) and returns where the frame starts.
    /// </summary>
    public int BeginFrame(bool withPayload = false)
    {
        var start = _written;
        var reserved = withPayload ? 2 * PrefixBytes : PrefixBytes;
        GetSpan(reserved);
        _written += reserved;
        return start;
    }

    /// <summary>Patches the length prefix of the frame that began at <paramref name="start"/>; returns its body's length.</summary>
    public int EndFrame(int start)
    {
        var bodyLength = _written - start - PrefixBytes;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start, PrefixBytes), bodyLength);
        return bodyLength;
    }

    /// <summary>
    /// Ends the message of a frame with a payload that began at <paramref name="start"/>: patches
    /// the message's length and the prefix (with <see cref="PayloadFlag"/>), and copies
    /// <paramref name="payload"/> into a pooled array that follows the message on the wire.
    /// Returns the body's length.
    /// </summary>
    public long EndFrame(int start, in ReadOnlySequence<byte> payload)
    {
        var messageLength = _written - start - (2 * PrefixBytes);
        var bodyLength = PrefixBytes + messageLength + payload.Length;
        if (bodyLength >= PayloadFlag)
        {
            return bodyLength; // The caller refuses it as too large; nothing was copied.
        }

        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start + PrefixBytes, PrefixBytes), messageLength);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(start, PrefixBytes), (uint)bodyLength | PayloadFlag);
        var length = (int)payload.Length;
        var bytes = PayloadPool.Rent(length);
        payload.CopyTo(bytes);
        _payloads.Add((_written, bytes, length));
        _payloadBytes += length;
        return bodyLength;
    }

    /// <summary>Drops everything written after <paramref name="start"/> (a frame that failed to serialize).</summary>
    public void Truncate(int start)
    {
        _written = start;
        ReturnPayloadsFrom(start);
    }

    /// <summary>
    /// Writes every frame held, payloads in their places, to <paramref name="output"/>: one write
    /// per run of frames and per payload, each of which a stream's writer hands to its stream
    /// without copying it first. Stops at a write the reader cancelled or completed, and returns it.
    /// </summary>
    public async ValueTask<FlushResult> WriteToAsync(PipeWriter output)
    {
        var from = 0;
        foreach (var (at, bytes, length) in _payloads)
        {
            var result = await output.WriteAsync(_buffer.AsMemory(from, at - from)).ConfigureAwait(false);
            if (!result.IsCanceled && !result.IsCompleted)
            {
                result = await output.WriteAsync(bytes.AsMemory(0, length)).ConfigureAwait(false);
            }

            if (result.IsCanceled || result.IsCompleted)
            {
                return result;
            }

            from = at;
        }

        return await output.WriteAsync(_buffer.AsMemory(from, _written - from)).ConfigureAwait(false);
    }

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

    // Gives back the arrays of the payloads that go after byte at of the buffer.
    private void ReturnPayloadsFrom(int at)
    {
        while (_payloads.Count > 0 && _payloads[^1].At > at)
        {
            var (_, bytes, length) = _payloads[^1];
            _payloads.RemoveAt(_payloads.Count - 1);
            _payloadBytes -= length;
            PayloadPool.Return(bytes);
        }
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
