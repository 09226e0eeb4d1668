namespace Plexus.Node;

/// <summary>How objects are copied between nodes (from <see cref="NodeOptions"/>).</summary>
internal sealed record TransferSettings(int ChunkBytes, int ChunksInFlight)
{
    public const int MinChunkBytes = 4 << 10;

    // A chunk travels as one frame: well under the frame limit (64 MiB), and small enough not to hold a link for long.
    public const int MaxChunkBytes = 16 << 20;

    /// <summary>The settings of <paramref name="options"/>, which checks their range as they are set.</summary>
    public static TransferSettings From(NodeOptions options) => new(options.TransferChunkBytes, options.TransferChunksInFlight);
}
