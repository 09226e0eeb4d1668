using MessagePack;
using Plexus.Data.Blocks;

namespace Plexus.Data.Worker;

/// <summary>
/// What a block task tells the driver about its output, returned as its last element: a few dozen
/// bytes that stay in the driver's memory, so the executor learns sizes without reading a block.
/// </summary>
internal sealed class BlockMeta
{
    /// <summary>Rows in each output block (one per partition for an exchange's map side).</summary>
    public long[] Rows { get; set; } = [];

    /// <summary>Bytes of each output block.</summary>
    public long[] Bytes { get; set; } = [];

    public long InputRows { get; set; }

    public double Seconds { get; set; }

    public string NodeId { get; set; } = "";

    /// <summary>What an output wrote beside its blocks (file names for sinks, sampled keys for sorts).</summary>
    public byte[]? Extra { get; set; }

    public long TotalRows => Rows.Sum();

    public long TotalBytes => Bytes.Sum();

    public byte[] Encode() => MessagePackSerializer.Serialize(this, PackedRows.Options);

    public static BlockMeta Decode(byte[] bytes) => MessagePackSerializer.Deserialize<BlockMeta>(bytes, PackedRows.Options);
}
