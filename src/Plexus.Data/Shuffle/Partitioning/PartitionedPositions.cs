namespace Plexus.Data.Shuffle;

/// <summary>
/// A block's row positions grouped by partition: partition r is <c>Positions[Starts[r]..Starts[r+1]]</c>,
/// so each row is moved once, from the block straight into its partition's output.
/// </summary>
internal sealed class PartitionedPositions(int[] positions, int[] starts)
{
    public int PartitionCount => starts.Length - 1;

    /// <summary>The positions of partition <paramref name="partition"/>'s rows, in the order they go out.</summary>
    public ReadOnlySpan<int> Partition(int partition) => positions.AsSpan(starts[partition], starts[partition + 1] - starts[partition]);
}
