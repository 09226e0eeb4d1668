using System.Runtime.Serialization;
using Plexus.Data.Blocks;
using Plexus.Data.Operators;
using Plexus.Data.Shuffle;
using Plexus.Data.Worker;

namespace Plexus.Data.Exchanges;

/// <summary>
/// An exchange's map side: the task's rows cut into one block per partition (several returns), each
/// sorted first when the exchange sorts. The cut is stable, so a block's order survives within a partition.
/// </summary>
internal sealed class PartitionOutput<T> : StageOutput
{
    public required PartitionSpec<T> Partitioning { get; init; }

    /// <summary>Sorts each partition's rows, for sorts; null keeps their order.</summary>
    public RowSorter<T>? Sorter { get; init; }

    public override int Blocks => Partitioning.Partitions;

    public override OutputWriter Open(StageTask task, PipelineContext context) => new Writer(this, task.Block, context.Blocks);

    private sealed class Writer(PartitionOutput<T> output, int block, BlockAllocator allocator) : OutputWriter
    {
        private readonly RowCollector<T> rows = new();

        public override object Sink => rows;

        public override ValueTask<byte[][]> CompleteAsync(BlockMeta meta)
        {
            // The block is sorted whole, then its positions cut by partition: a stable sort cut
            // stably gives each partition's rows in key order, ties by position, as sorting each
            // partition would, and each row is copied once, into its partition's block.
            int[]? order = null;
            if (output.Sorter is not null && rows.Count > 1)
            {
                order = new int[rows.Count];
                output.Sorter.Order(rows.Rows, order);
            }

            var cut = output.Partitioning.Cut(rows.Rows, block, order, meta);
            var blocks = new byte[cut.PartitionCount][];
            meta.Rows = new long[blocks.Length];
            meta.Bytes = new long[blocks.Length];
            for (var p = 0; p < blocks.Length; p++)
            {
                var positions = cut.Partition(p);
                var written = BlockBuilder<T>.Gather(rows.Rows, positions, allocator, returnIndex: p);
                blocks[p] = written.Returned!;
                meta.Rows[p] = positions.Length;
                meta.Bytes[p] = written.Length;
            }

            return ValueTask.FromResult(blocks);
        }
    }
}

/// <summary>How a sort's map orders each partition.</summary>
internal abstract class RowSorter<T>
{
    /// <summary>Writes the rows' positions in sorted order into <paramref name="positions"/>.</summary>
    public abstract void Order(ReadOnlySpan<T> rows, Span<int> positions);
}

/// <summary>Sorts by <see cref="Key"/> with the shuffle kernels (radix sort for normalized keys).</summary>
internal sealed class KeySorter<T, TKey> : RowSorter<T>
{
    [IgnoreDataMember] // Built where it runs, never sent.
    private BlockSorter<T, TKey>? sorter;

    public required RemoteFunction<Func<T, TKey>> Key { get; init; }

    public required SortDirection Direction { get; init; }

    public override void Order(ReadOnlySpan<T> rows, Span<int> positions) =>
        (sorter ??= BlockSorter<T, TKey>.Create(Key.Function, Direction)).Order(rows, positions);
}
