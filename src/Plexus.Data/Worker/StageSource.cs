using Plexus.Data.Operators;

namespace Plexus.Data.Worker;

/// <summary>Where a block task's rows come from: its input block, several input blocks, or a generator or file it reads itself.</summary>
internal abstract class StageSource
{
    /// <summary>Pushes the rows into <paramref name="sink"/> (an <see cref="IBatchSink{T}"/> of the source's row type).</summary>
    public abstract Task<long> RunAsync(object sink, ReadOnlyMemory<byte> input, PipelineContext context);

    /// <summary>The node the task must run on (a node-local file's); null lets the stage's strategy decide.</summary>
    public virtual string? NodeId => null;

    /// <summary>The input, as errors name it ("block 3", "/data/a.log bytes 0–1048576").</summary>
    public abstract string Describe(int block);
}

/// <summary>Reads the block passed as the task's argument: in place when it is in this node's store.</summary>
internal sealed class InputBlockSource<T> : StageSource
{
    public override Task<long> RunAsync(object sink, ReadOnlyMemory<byte> input, PipelineContext context)
    {
        var rows = Blocks.BlockReader<T>.RowCount(input.Span);
        if (sink is IInPlaceRowsSink<T> keeper)
        {
            // The input stays mapped until the task returns: a sink keeping every row reads raw rows
            // there (packed rows are decoded once, into an array it keeps).
            keeper.KeepInPlace(Blocks.BlockReader<T>.Rows(input));
            return Task.FromResult(rows);
        }

        SinkSizing.Expect(sink, rows);
        Blocks.BlockReader<T>.Push(input, (IBatchSink<T>)sink, () => context.Stopped, context.CancellationToken);
        return Task.FromResult(rows);
    }

    public override string Describe(int block) => $"block {block}";
}

/// <summary>Reads several blocks (a reduce's partitions from every map), in the order given.</summary>
internal sealed class InputBlocksSource<T> : StageSource
{
    public required ObjectRef<byte[]>[] Inputs { get; init; }

    public override async Task<long> RunAsync(object sink, ReadOnlyMemory<byte> input, PipelineContext context)
    {
        long rows = 0;
        foreach (var reference in Inputs)
        {
            using var view = await reference.GetViewAsync(cancellationToken: context.CancellationToken).ConfigureAwait(false);
            rows += Blocks.BlockReader<T>.RowCount(view.Span);
            Blocks.BlockReader<T>.Push(view.Memory, (IBatchSink<T>)sink, () => context.Stopped, context.CancellationToken);
        }

        return rows;
    }

    public override string Describe(int block) => $"partition {block} of {Inputs.Length} blocks";
}
