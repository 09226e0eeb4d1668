namespace Plexus.Data.Shuffle;

/// <summary>A block's rows grouped by partition: partition r is <c>Rows[Starts[r]..Starts[r+1]]</c>.</summary>
/// <typeparam name="T">The row type.</typeparam>
internal sealed class PartitionedRows<T>(T[] rows, int[] starts)
{
    /// <summary>All rows, partition 0 first.</summary>
    public T[] Rows { get; } = rows;

    public int PartitionCount => starts.Length - 1;

    public ReadOnlyMemory<T> Partition(int partition) => Rows.AsMemory(starts[partition], starts[partition + 1] - starts[partition]);

    public int RowsIn(int partition) => starts[partition + 1] - starts[partition];
}
