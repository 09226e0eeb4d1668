using System.Diagnostics;
using Plexus.Data.Blocks;
using Plexus.Data.Operators;

namespace Plexus.Data.Worker;

/// <summary>
/// The one entry point every block task runs on a worker: it builds the stage's pipeline (source,
/// fused operators, output), pushes the rows through, and returns the output blocks and their meta.
/// A user function's exception leaves as it was thrown, so the caller sees the original.
/// </summary>
internal static class BlockTasks
{
    public static async Task<byte[][]> RunAsync(StageTask task, ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        // Its blocks are its returns, written in place in the store; those left null here are sealed by the runtime.
        var context = new PipelineContext(cancellationToken) { Blocks = BlockAllocator.TaskReturns(PlexusRuntime.Current), Block = task.Block };
        var (blocks, meta) = await RunPipelineAsync(task, input, context).ConfigureAwait(false);
        return [.. blocks, meta.Encode()];
    }

    /// <summary>Runs <paramref name="task"/>'s pipeline over <paramref name="input"/>: in a task, or inside an actor of a stateful stage.</summary>
    public static async Task<(byte[][] Blocks, BlockMeta Meta)> RunPipelineAsync(StageTask task, ReadOnlyMemory<byte> input, PipelineContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var writer = task.Output.Open(task, context);
        var head = writer.Sink;
        for (var i = task.Operators.Length - 1; i >= 0; i--)
        {
            var step = await task.Operators[i].PrepareAsync(context).ConfigureAwait(false);
            head = step.Bind(head, context);
        }

        var inputRows = await task.Source.RunAsync(head, input, context).ConfigureAwait(false);
        (head as IFlushable)?.Flush();
        var meta = new BlockMeta { InputRows = inputRows, NodeId = PlexusRuntime.Current.NodeId };
        var blocks = await writer.CompleteAsync(meta).ConfigureAwait(false);
        meta.Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return (blocks, meta);
    }
}
