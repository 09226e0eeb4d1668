using System.Runtime.InteropServices;
using MessagePack;
using Plexus.Data.Operators;

namespace Plexus.Data.Blocks;

/// <summary>
/// Collects the rows a task makes into one block. Raw rows go into chunks and are copied once, into
/// a block of the exact size, when it is built: growing one array by doubling would copy every
/// byte about twice more and touch twice the memory. When the source says how many rows come
/// (<see cref="ExpectRows"/>), the block is allocated first and rows are written where they stay.
/// The block is made by the builder's <see cref="BlockAllocator"/>: in a task, in place as its
/// return <c>returnIndex</c>.
/// </summary>
internal sealed class BlockBuilder<T>(BlockAllocator allocator, int returnIndex) : IRowSpanSink<T>, ISizedSink
{
    private const int ChunkBytes = 4 << 20;

    // Raw rows so far; with an expected row count, chunks[0] is the block itself, rows after its header.
    private readonly List<Memory<byte>> chunks = [];
    private readonly List<T>? packed = RowFormat<T>.IsRaw ? null : [];
    private int lastChunkBytes;
    private long rawBytes;

    // The block of the expected size that chunks[0] is, so Build can return it without a copy.
    private OutputBlock? presized;

    /// <summary>A builder of heap blocks.</summary>
    public BlockBuilder()
        : this(BlockAllocator.Heap, 0)
    {
    }

    public long Rows { get; private set; }

    public void ExpectRows(long rows)
    {
        var bytes = rows * RowFormat<T>.RecordSize;
        if (packed is null && Rows == 0 && chunks.Count == 0 && rows > 0 && bytes <= Array.MaxLength - BlockHeader.Size)
        {
            var block = allocator.Allocate(returnIndex, BlockHeader.Size + (int)bytes);
            chunks.Add(block.Memory);
            lastChunkBytes = BlockHeader.Size;
            presized = block;
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
            bytes[..take].CopyTo(chunks[^1].Span[lastChunkBytes..]);
            lastChunkBytes += take;
            bytes = bytes[take..];
        }
    }

    /// <summary>The rest of the block of the announced size, while rows pushed so far all fit in it.</summary>
    public Span<T> GetRowSpan(int rows)
    {
        if (presized is null || chunks.Count != 1)
        {
            return default;
        }

        var room = Math.Min(rows, (chunks[0].Length - lastChunkBytes) / RowFormat<T>.RecordSize);
        return RawSpans.AsRows<T>(chunks[0].Span.Slice(lastChunkBytes, room * RowFormat<T>.RecordSize));
    }

    public void Advance(int rows)
    {
        var bytes = rows * RowFormat<T>.RecordSize;
        Rows += rows;
        rawBytes += bytes;
        lastChunkBytes += bytes;
    }

    /// <summary>The block: header and rows, in a heap array. The builder is empty afterwards.</summary>
    public byte[] Build() =>
        BuildBlock().Returned ?? throw new InvalidOperationException("This builder writes a task's return in place: build it with BuildBlock.");

    /// <summary>The block: header and rows. The builder is empty afterwards.</summary>
    public OutputBlock BuildBlock()
    {
        OutputBlock block;
        if (presized is { } whole && chunks.Count == 1 && lastChunkBytes == chunks[0].Length)
        {
            // The source pushed the rows it announced: the block is already whole.
            block = whole;
            new BlockHeader(BlockEncoding.Raw, RowFormat<T>.RecordSize, Rows, rawBytes, RowFormat<T>.SchemaHash).Write(block.Memory.Span);
        }
        else if (packed is null)
        {
            // A block made in place has its size: rows other than announced go to a heap block
            // instead, and the runtime frees the unused return buffer.
            block = (presized is null ? allocator : BlockAllocator.Heap).Allocate(returnIndex, checked((int)(BlockHeader.Size + rawBytes)));
            var destination = block.Memory.Span;
            var offset = BlockHeader.Size;
            for (var i = 0; i < chunks.Count; i++)
            {
                var skip = i == 0 && presized is not null ? BlockHeader.Size : 0;
                var used = (i == chunks.Count - 1 ? lastChunkBytes : chunks[i].Length) - skip;
                chunks[i].Span.Slice(skip, used).CopyTo(destination[offset..]);
                offset += used;
            }

            new BlockHeader(BlockEncoding.Raw, RowFormat<T>.RecordSize, Rows, rawBytes, RowFormat<T>.SchemaHash).Write(destination);
        }
        else
        {
            var payload = MessagePackSerializer.Serialize(CollectionsMarshal.AsSpan(packed).ToArray(), PackedRows.Options);
            block = allocator.Allocate(returnIndex, BlockHeader.Size + payload.Length);
            payload.CopyTo(block.Memory.Span[BlockHeader.Size..]);
            new BlockHeader(BlockEncoding.Packed, 0, Rows, payload.Length, RowFormat<T>.SchemaHash).Write(block.Memory.Span);
            packed.Clear();
        }

        chunks.Clear();
        presized = null;
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
    /// Makes a block of <c>rows[positions[0]]</c>, <c>rows[positions[1]]</c>, ... with
    /// <paramref name="allocator"/>, as return <paramref name="returnIndex"/>: raw rows are copied
    /// once, straight into the block.
    /// </summary>
    public static OutputBlock Gather(ReadOnlySpan<T> rows, ReadOnlySpan<int> positions, BlockAllocator allocator, int returnIndex)
    {
        if (!RowFormat<T>.IsRaw)
        {
            var gathered = new T[positions.Length];
            Gather(rows, positions, gathered);
            var builder = new BlockBuilder<T>(allocator, returnIndex);
            builder.Push(gathered);
            return builder.BuildBlock();
        }

        var bytes = positions.Length * RowFormat<T>.RecordSize;
        var block = allocator.Allocate(returnIndex, BlockHeader.Size + bytes);
        var destination = block.Memory.Span;
        Gather(rows, positions, RawSpans.AsRows<T>(destination[BlockHeader.Size..]));
        new BlockHeader(BlockEncoding.Raw, RowFormat<T>.RecordSize, positions.Length, bytes, RowFormat<T>.SchemaHash).Write(destination);
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
