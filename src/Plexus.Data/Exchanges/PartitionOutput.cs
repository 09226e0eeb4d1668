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

    public override OutputWriter Open(StageTask task, PipelineContext context) => new Writer(this, task.Block);

    private sealed class Writer(PartitionOutput<T> output, int block) : OutputWriter
    {
        private readonly RowCollector<T> rows = new();

        public override object Sink => rows;

        public override ValueTask<byte[][]> CompleteAsync(BlockMeta meta)
        {
            var cut = PartitionScatter.Cut(rows.Rows, output.Partitioning.Create(block));
            var blocks = new byte[cut.PartitionCount][];
            meta.Rows = new long[blocks.Length];
            meta.Bytes = new long[blocks.Length];
            for (var p = 0; p < blocks.Length; p++)
            {
                ReadOnlySpan<T> partition = cut.Partition(p).Span;
                if (output.Sorter is not null && partition.Length > 1)
                {
                    var sorted = GC.AllocateUninitializedArray<T>(partition.Length);
                    output.Sorter.Sort(partition, sorted);
                    partition = sorted;
                }

                blocks[p] = BlockBuilder<T>.Of(partition);
                meta.Rows[p] = partition.Length;
                meta.Bytes[p] = blocks[p].Length;
            }

            return ValueTask.FromResult(blocks);
        }
    }
}

/// <summary>How a sort's map orders each partition.</summary>
internal abstract class RowSorter<T>
{
    public abstract void Sort(ReadOnlySpan<T> rows, Span<T> output);
}

/// <summary>Sorts by <see cref="Key"/> with the shuffle kernels (radix sort for normalized keys).</summary>
internal sealed class KeySorter<T, TKey> : RowSorter<T>
{
    [IgnoreDataMember] // Built where it runs, never sent.
    private BlockSorter<T, TKey>? sorter;

    public required RemoteFunction<Func<T, TKey>> Key { get; init; }

    public required SortDirection Direction { get; init; }

    public override void Sort(ReadOnlySpan<T> rows, Span<T> output) =>
        (sorter ??= BlockSorter<T, TKey>.Create(Key.Function, Direction)).Sort(rows, output);
}
