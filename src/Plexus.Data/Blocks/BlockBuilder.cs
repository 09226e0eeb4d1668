using System.Runtime.InteropServices;
using MessagePack;
using Plexus.Data.Operators;

namespace Plexus.Data.Blocks;

/// <summary>
/// Collects the rows a task makes into one block. Raw rows go into chunks and are copied once, into
/// a block of the exact size, when it is built: growing one array by doubling would copy every
/// byte about twice more and touch twice the memory. When the source says how many rows come
/// (<see cref="ExpectRows"/>), the block is allocated first and rows are written where they stay.
/// </summary>
internal sealed class BlockBuilder<T> : IBatchSink<T>, ISizedSink
{
    private const int ChunkBytes = 4 << 20;

    // Raw rows so far; with an expected row count, chunks[0] is the block itself, rows after its header.
    private readonly List<byte[]> chunks = [];
    private readonly List<T>? packed = RowFormat<T>.IsRaw ? null : [];
    private int lastChunkBytes;
    private long rawBytes;

    // Whether chunks[0] is a block of the expected size, so Build can return it without a copy.
    private bool presized;

    public long Rows { get; private set; }

    public void ExpectRows(long rows)
    {
        var bytes = rows * RowFormat<T>.RecordSize;
        if (packed is null && Rows == 0 && chunks.Count == 0 && rows > 0 && bytes <= Array.MaxLength - BlockHeader.Size)
        {
            chunks.Add(GC.AllocateUninitializedArray<byte>(BlockHeader.Size + (int)bytes));
            lastChunkBytes = BlockHeader.Size;
            presized = true;
        }
    }

    public void Push(ReadOnlySpan<T> rows)
    {
        Rows += rows.Length;
        if (packed is not null)
        {
            packed.AddRange(rows);
            return;
        }

        var bytes = RawSpans.AsBytes(rows);
        rawBytes += bytes.Length;
        while (bytes.Length > 0)
        {
            if (chunks.Count == 0 || lastChunkBytes == chunks[^1].Length)
            {
                chunks.Add(GC.AllocateUninitializedArray<byte>(Math.Max(ChunkBytes, Math.Min(bytes.Length, Array.MaxLength))));
                lastChunkBytes = 0;
            }

            var take = Math.Min(bytes.Length, chunks[^1].Length - lastChunkBytes);
            bytes[..take].CopyTo(chunks[^1].AsSpan(lastChunkBytes));
            lastChunkBytes += take;
            bytes = bytes[take..];
        }
    }

    /// <summary>The block: header and rows. The builder is empty afterwards.</summary>
    public byte[] Build()
    {
        byte[] block;
        if (presized && chunks.Count == 1 && lastChunkBytes == chunks[0].Length)
        {
            // The source pushed the rows it announced: the block is already whole.
            block = chunks[0];
            new BlockHeader(BlockEncoding.Raw, RowFormat<T>.RecordSize, Rows, rawBytes, RowFormat<T>.SchemaHash).Write(block);
        }
        else if (packed is null)
        {
            block = GC.AllocateUninitializedArray<byte>(checked((int)(BlockHeader.Size + rawBytes)));
            var offset = BlockHeader.Size;
            for (var i = 0; i < chunks.Count; i++)
            {
                var skip = i == 0 && presized ? BlockHeader.Size : 0;
                var used = (i == chunks.Count - 1 ? lastChunkBytes : chunks[i].Length) - skip;
                chunks[i].AsSpan(skip, used).CopyTo(block.AsSpan(offset));
                offset += used;
            }

            new BlockHeader(BlockEncoding.Raw, RowFormat<T>.RecordSize, Rows, rawBytes, RowFormat<T>.SchemaHash).Write(block);
        }
        else
        {
            var payload = MessagePackSerializer.Serialize(CollectionsMarshal.AsSpan(packed).ToArray(), PackedRows.Options);
            block = GC.AllocateUninitializedArray<byte>(BlockHeader.Size + payload.Length);
            payload.CopyTo(block.AsSpan(BlockHeader.Size));
            new BlockHeader(BlockEncoding.Packed, 0, Rows, payload.Length, RowFormat<T>.SchemaHash).Write(block);
            packed.Clear();
        }

        chunks.Clear();
        presized = false;
        lastChunkBytes = 0;
        rawBytes = 0;
        Rows = 0;
        return block;
    }

    /// <summary>Makes a block of <paramref name="rows"/> at once, with one copy.</summary>
    public static byte[] Of(ReadOnlySpan<T> rows)
    {
        if (!RowFormat<T>.IsRaw)
        {
            var builder = new BlockBuilder<T>();
            builder.Push(rows);
            return builder.Build();
        }

        var bytes = RawSpans.AsBytes(rows);
        var block = GC.AllocateUninitializedArray<byte>(BlockHeader.Size + bytes.Length);
        bytes.CopyTo(block.AsSpan(BlockHeader.Size));
        new BlockHeader(BlockEncoding.Raw, RowFormat<T>.RecordSize, rows.Length, bytes.Length, RowFormat<T>.SchemaHash).Write(block);
        return block;
    }

    /// <summary>
    /// Makes a block of <c>rows[positions[0]]</c>, <c>rows[positions[1]]</c>, ...: raw rows are
    /// copied once, straight into the block.
    /// </summary>
    public static byte[] Gather(ReadOnlySpan<T> rows, ReadOnlySpan<int> positions)
    {
        if (!RowFormat<T>.IsRaw)
        {
            var gathered = new T[positions.Length];
            Gather(rows, positions, gathered);
            return Of(gathered);
        }

        var bytes = positions.Length * RowFormat<T>.RecordSize;
        var block = GC.AllocateUninitializedArray<byte>(BlockHeader.Size + bytes);
        Gather(rows, positions, RawSpans.AsRows<T>(block.AsSpan(BlockHeader.Size)));
        new BlockHeader(BlockEncoding.Raw, RowFormat<T>.RecordSize, positions.Length, bytes, RowFormat<T>.SchemaHash).Write(block);
        return block;
    }

    private static void Gather(ReadOnlySpan<T> rows, ReadOnlySpan<int> positions, Span<T> output)
    {
        for (var i = 0; i < positions.Length; i++)
        {
            output[i] = rows[positions[i]];
        }
    }
}
