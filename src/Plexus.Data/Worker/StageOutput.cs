using Plexus.Data.Blocks;
using Plexus.Data.Operators;

namespace Plexus.Data.Worker;

/// <summary>What a block task makes of its rows: one block, a block per partition, or files.</summary>
internal abstract class StageOutput
{
    /// <summary>Blocks the task returns before its meta.</summary>
    public abstract int Blocks { get; }

    /// <summary>Starts one task's output; its sink takes the last operator's rows.</summary>
    public abstract OutputWriter Open(StageTask task, PipelineContext context);
}

/// <summary>One task's output in the making.</summary>
internal abstract class OutputWriter
{
    /// <summary>An <see cref="IBatchSink{T}"/> of the output's row type.</summary>
    public abstract object Sink { get; }

    /// <summary>
    /// Finishes the output: its blocks, and what the meta should carry. A block written in place as
    /// the task's return (<see cref="PipelineContext.Blocks"/>) is null here: the runtime seals it.
    /// </summary>
    public abstract ValueTask<byte[][]> CompleteAsync(BlockMeta meta);
}

/// <summary>The rows as one block (the usual output of a one-to-one stage).</summary>
internal sealed class BlockOutput<T> : StageOutput
{
    public override int Blocks => 1;

    public override OutputWriter Open(StageTask task, PipelineContext context) => new Writer(context.Blocks);

    private sealed class Writer(BlockAllocator blocks) : OutputWriter
    {
        private readonly BlockBuilder<T> builder = new(blocks, returnIndex: 0);

        public override object Sink => builder;

        public override ValueTask<byte[][]> CompleteAsync(BlockMeta meta)
        {
            meta.Rows = [builder.Rows];
            var block = builder.BuildBlock();
            meta.Bytes = [block.Length];
            return ValueTask.FromResult<byte[][]>([block.Returned!]);
        }
    }
}
