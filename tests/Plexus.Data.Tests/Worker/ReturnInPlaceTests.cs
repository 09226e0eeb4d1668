using Plexus.Data.Blocks;
using Plexus.Data.Exchanges;
using Plexus.Data.Tests.Shuffle;
using Plexus.Data.Worker;

namespace Plexus.Data.Tests.Worker;

/// <summary>
/// A block task on a worker writes its blocks in place, as its returns in the store: the worker
/// allocates no array of a block's size for them (nor copies one into the store).
/// </summary>
[Collection(DataRuntimeCollection.Name)]
[Slow]
public sealed class ReturnInPlaceTests(DataRuntime runtime)
{
    private const int Rows = 1 << 20;

    private PlexusRuntime Plexus => runtime.Plexus;

    [Fact]
    public async Task AGeneratedBlockIsWrittenInPlaceWithNoArrayOfItsSize()
    {
        var task = new StageTask { Stage = "test", Block = 0, Source = new RangeSource { Start = 0, Count = Rows }, Operators = [], Output = new BlockOutput<long>() };

        var (blocks, allocated) = await RunAsync(task, Arg.Value(ReadOnlyMemory<byte>.Empty));

        var block = await Assert.Single(blocks);
        Assert.Equal(Enumerable.Range(0, Rows).Select(i => (long)i), BlockReader<long>.Rows(block).ToArray());
        Assert.Equal(ObjectPlacement.SharedMemory, blocks[0].Info.Placement);
        Assert.InRange(allocated, 0, block.Length / 4);
    }

    [Fact]
    public async Task AMapWritesEachPartitionsBlockInPlace()
    {
        var rows = TestRecord.Generate(Rows / 8);
        using var input = Plexus.Put(BlockBuilder<TestRecord>.Of(rows));
        var output = new PartitionOutput<TestRecord> { Partitioning = new RandomPartitionSpec<TestRecord> { Partitions = 4, Seed = 9 } };
        var task = new StageTask { Stage = "test", Block = 0, Source = new InputBlockSource<TestRecord>(), Operators = [], Output = output };

        var (blocks, allocated) = await RunAsync(task, input.AsMemory());

        var read = await Plexus.GetAsync(blocks);
        Assert.Equal(rows.Select(r => r.Position).Order(), read.SelectMany(b => BlockReader<TestRecord>.Rows(b).ToArray()).Select(r => r.Position).Order());
        // The rows are collected once; their partitions' blocks are in the store, not on the heap.
        var rowBytes = read.Sum(b => (long)b.Length - BlockHeader.Size);
        Assert.InRange(allocated, 0, rowBytes + (8L * rows.Length) + (1 << 20));
    }

    private async Task<(ObjectRef<byte[]>[] Blocks, long Allocated)> RunAsync(StageTask task, Arg<ReadOnlyMemory<byte>> input)
    {
        var returns = Plexus.Task<StageTask, ReadOnlyMemory<byte>, CancellationToken, byte[][]>(MeasuredBlockTask.RunAsync)
            .Returns(task.Output.Blocks + 2)
            .Remote(task, input, CancellationToken.None);
        var allocated = BitConverter.ToInt64(await returns[^1]);
        return (returns[..^2], allocated);
    }
}

/// <summary>Runs a block task as the executor does, and returns last the bytes its worker allocated meanwhile.</summary>
internal static class MeasuredBlockTask
{
    public static async Task<byte[][]> RunAsync(StageTask task, ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var returns = await BlockTasks.RunAsync(task, input, cancellationToken);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        return [.. returns, BitConverter.GetBytes(allocated)];
    }
}
