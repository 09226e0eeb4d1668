using System.Runtime.InteropServices;
using MessagePack;
using Plexus.Data.Operators;

namespace Plexus.Data.Blocks;

/// <summary>Reads the rows of a block: raw rows in place, packed rows decoded.</summary>
internal static class BlockReader<T>
{
    public const int BatchRows = 4096;

    public static long RowCount(ReadOnlySpan<byte> block) => Header(block).Rows;

    /// <summary>The rows in place when they are raw; a decoded copy when packed.</summary>
    public static ReadOnlyMemory<T> Rows(ReadOnlyMemory<byte> block)
    {
        var header = Header(block.Span);
        var payload = block.Slice(BlockHeader.Size, (int)header.PayloadBytes);
        if (header.Encoding == BlockEncoding.Packed)
        {
            return MessagePackSerializer.Deserialize<T[]>(payload, PackedRows.Options);
        }

        return new CastMemory<T>(payload).Memory;
    }

    /// <summary>Pushes the rows to <paramref name="sink"/> in batches, stopping when <paramref name="stop"/> says so.</summary>
    public static void Push(ReadOnlyMemory<byte> block, IBatchSink<T> sink, Func<bool> stop, CancellationToken cancellationToken)
    {
        var rows = Rows(block);
        for (var start = 0; start < rows.Length && !stop(); start += BatchRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sink.Push(rows.Span.Slice(start, Math.Min(BatchRows, rows.Length - start)));
        }
    }

    private static BlockHeader Header(ReadOnlySpan<byte> block)
    {
        var header = BlockHeader.Read(block, RowFormat<T>.SchemaHash, RowFormat<T>.TypeName);
        if (header.Encoding == BlockEncoding.Raw && (header.RecordSize != RowFormat<T>.RecordSize || !RowFormat<T>.IsRaw))
        {
            throw new InvalidDataException($"The block holds {header.RecordSize}-byte records, not {RowFormat<T>.TypeName} rows.");
        }

        return header;
    }
}

/// <summary>
/// Bytes seen as rows of an unmanaged type, without a copy. Its span is made from an array or a
/// pointer found once, so reading <c>.Span</c> in a hot loop costs no more than for an array.
/// </summary>
internal sealed unsafe class CastMemory<T> : System.Buffers.MemoryManager<T>
{
    private readonly ArraySegment<byte> array;
    private readonly byte* pointer;
    private readonly int length;
    private System.Buffers.MemoryHandle pin;

    public CastMemory(ReadOnlyMemory<byte> bytes)
    {
        length = bytes.Length;
        if (!MemoryMarshal.TryGetArray(bytes, out array))
        {
            // Shared memory of the object store: pinning it is free, and it stays mapped while the view lives.
            pin = bytes.Pin();
            pointer = (byte*)pin.Pointer;
        }
    }

    public override Span<T> GetSpan() => array.Array is { } bytes
        ? RawSpans.AsRows<T>(bytes.AsSpan(array.Offset, length))
        : RawSpans.AsRows<T>(new Span<byte>(pointer, length));

    public override System.Buffers.MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing) => pin.Dispose();
}
