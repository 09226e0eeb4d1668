using System.Runtime.InteropServices;
using MessagePack;
using Plexus.Data.Operators;

namespace Plexus.Data.Blocks;

/// <summary>Collects the rows a task makes into one block.</summary>
internal sealed class BlockBuilder<T> : IBatchSink<T>
{
    private byte[] raw = [];
    private long rawBytes;
    private readonly List<T>? packed = RowFormat<T>.IsRaw ? null : [];

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
        EnsureRaw(rawBytes + bytes.Length);
        bytes.CopyTo(raw.AsSpan(checked((int)(BlockHeader.Size + rawBytes))));
        rawBytes += bytes.Length;
    }

    /// <summary>The block: header and rows. The builder is empty afterwards.</summary>
    public byte[] Build()
    {
        byte[] block;
        if (packed is null)
        {
            EnsureRaw(rawBytes);
            block = raw.Length == BlockHeader.Size + rawBytes ? raw : raw.AsSpan(0, (int)(BlockHeader.Size + rawBytes)).ToArray();
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

        raw = [];
        rawBytes = 0;
        Rows = 0;
        return block;
    }

    /// <summary>Makes a block of <paramref name="rows"/> at once.</summary>
    public static byte[] Of(ReadOnlySpan<T> rows)
    {
        var builder = new BlockBuilder<T>();
        builder.Push(rows);
        return builder.Build();
    }

    private void EnsureRaw(long payloadBytes)
    {
        var needed = checked((int)(BlockHeader.Size + payloadBytes));
        if (raw.Length >= needed)
        {
            return;
        }

        var grown = GC.AllocateUninitializedArray<byte>(Math.Max(needed, Math.Min(Array.MaxLength, Math.Max(4096, raw.Length * 2))));
        if (raw.Length > 0)
        {
            raw.AsSpan(0, (int)(BlockHeader.Size + rawBytes)).CopyTo(grown);
        }

        raw = grown;
    }
}
