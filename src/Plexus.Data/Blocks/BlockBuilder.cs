using System.Runtime.InteropServices;
using MessagePack;
using Plexus.Data.Operators;

namespace Plexus.Data.Blocks;

/// <summary>
/// Collects the rows a task makes into one block. Raw rows go into chunks and are copied once, into
/// a block of the exact size, when it is built: growing one array by doubling would copy every
/// byte about twice more and touch twice the memory.
/// </summary>
internal sealed class BlockBuilder<T> : IBatchSink<T>
{
    private const int ChunkBytes = 4 << 20;

    private readonly List<byte[]> chunks = [];
    private readonly List<T>? packed = RowFormat<T>.IsRaw ? null : [];
    private int lastChunkBytes;
    private long rawBytes;

    public long Rows { get; private set; }

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
        if (packed is null)
        {
            block = GC.AllocateUninitializedArray<byte>(checked((int)(BlockHeader.Size + rawBytes)));
            var offset = BlockHeader.Size;
            for (var i = 0; i < chunks.Count; i++)
            {
                var used = i == chunks.Count - 1 ? lastChunkBytes : chunks[i].Length;
                chunks[i].AsSpan(0, used).CopyTo(block.AsSpan(offset));
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
}
