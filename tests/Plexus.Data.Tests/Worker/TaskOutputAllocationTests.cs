using Plexus.Data.Blocks;
using Plexus.Data.Exchanges;
using Plexus.Data.Operators;
using Plexus.Data.Tests.Shuffle;
using Plexus.Data.Worker;

namespace Plexus.Data.Tests.Worker;

/// <summary>
/// What a task allocates to make its output blocks, measured on the thread that runs it: every extra
/// copy of the rows is an allocation as large as the rows, and fresh pages the kernel must zero.
/// </summary>
public sealed class TaskOutputAllocationTests
{
    private const int Rows = 1 << 20;

    [Fact]
    public async Task RowsOfAKnownCountAreWrittenStraightIntoTheirBlock()
    {
        var (blocks, allocated) = await RunAsync(new RangeSource { Start = 0, Count = Rows }, new BlockOutput<long>(), input: default);

        var block = Assert.Single(blocks);
        Assert.Equal(Enumerable.Range(0, Rows).Select(i => (long)i), BlockReader<long>.Rows(block).ToArray());
        Assert.InRange(allocated, block.Length, block.Length + (1 << 20));
    }

    [Fact]
    public async Task AMapReadsItsInputBlockInPlaceAndCopiesEachRowOnceIntoItsPartitionsBlocks()
    {
        var rows = TestRecord.Generate(Rows / 8);
        var input = BlockBuilder<TestRecord>.Of(rows);
        var output = new PartitionOutput<TestRecord> { Partitioning = new RandomPartitionSpec<TestRecord> { Partitions = 4, Seed = 9 } };

        var (blocks, allocated) = await RunAsync(new InputBlockSource<TestRecord>(), output, input);

        Assert.Equal(
            rows.Select(r => r.Position).Order(),
            blocks.SelectMany(b => BlockReader<TestRecord>.Rows(b).ToArray()).Select(r => r.Position).Order());

        // The input block's rows read where they are, each copied once into its partition's block; positions are 4 bytes a row.
        var rowBytes = input.Length - BlockHeader.Size;
        Assert.InRange(allocated, rowBytes, rowBytes + (8L * rows.Length) + (1 << 20));
    }

    [Fact]
    public void ABuilderToldTooFewRowsStillHoldsEveryRowPushed()
    {
        var builder = new BlockBuilder<long>();
        builder.ExpectRows(3);
        builder.Push([1, 2]);
        builder.Push([3, 4, 5]);

        Assert.Equal([1L, 2, 3, 4, 5], BlockReader<long>.Rows(builder.Build()).ToArray());
    }

    [Fact]
    public void ABuilderToldTooManyRowsHoldsOnlyTheRowsPushed()
    {
        var builder = new BlockBuilder<long>();
        builder.ExpectRows(10);
        builder.Push([7, 8]);

        var block = builder.Build();

        Assert.Equal([7L, 8], BlockReader<long>.Rows(block).ToArray());
        Assert.Equal(BlockHeader.Size + (2 * sizeof(long)), block.Length);
    }

    private static async Task<(byte[][] Blocks, long Allocated)> RunAsync(StageSource source, StageOutput output, ReadOnlyMemory<byte> input)
    {
        var task = new StageTask { Stage = "test", Block = 0, Source = source, Operators = [], Output = output };
        var context = new PipelineContext(CancellationToken.None);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var writer = output.Open(task, context);
        await source.RunAsync(writer.Sink, input, context);
        var blocks = await writer.CompleteAsync(new BlockMeta());
        return (blocks, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
