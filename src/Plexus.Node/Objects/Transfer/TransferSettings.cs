namespace Plexus.Node;

/// <summary>How objects are copied between nodes (from <see cref="NodeOptions"/>).</summary>
internal sealed record TransferSettings(int ChunkBytes, int ChunksInFlight)
{
    public const int MinChunkBytes = 4 << 10;

    // A chunk travels as one frame: well under the frame limit (64 MiB), and small enough not to hold a link for long.
    public const int MaxChunkBytes = 16 << 20;

    /// <summary>The settings of <paramref name="options"/>; throws <see cref="ArgumentOutOfRangeException"/> naming a value out of range.</summary>
    public static TransferSettings From(NodeOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TransferChunkBytes, MinChunkBytes, nameof(NodeOptions.TransferChunkBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.TransferChunkBytes, MaxChunkBytes, nameof(NodeOptions.TransferChunkBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TransferChunksInFlight, 1, nameof(NodeOptions.TransferChunksInFlight));
        return new TransferSettings(options.TransferChunkBytes, options.TransferChunksInFlight);
    }
}
