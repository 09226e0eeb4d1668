using Plexus.Data.Blocks;
using Plexus.Data.Operators;
using Plexus.Data.Shuffle;
using Plexus.Data.Worker;

namespace Plexus.Data.Exchanges;

/// <summary>A reduce's input: one run from each map, in map order, read in place where they are local.</summary>
internal abstract class RunsSource<T> : StageSource
{
    public required ObjectRef<byte[]>[] Inputs { get; init; }

    public override async Task<long> RunAsync(object sink, ReadOnlyMemory<byte> input, PipelineContext context)
    {
        var views = await Task.WhenAll(Inputs.Select(r => r.GetViewAsync(cancellationToken: context.CancellationToken).AsTask())).ConfigureAwait(false);
        try
        {
            var runs = views.Select(v => BlockReader<T>.Rows(v.Memory)).ToArray();
            Reduce(runs, sink, context);
            return runs.Sum(r => (long)r.Length);
        }
        finally
        {
            foreach (var view in views)
            {
                view.Dispose();
            }
        }
    }

    public override string Describe(int block) => $"partition {block} ({Inputs.Length} runs)";

    /// <summary>Pushes the reduce's rows into <paramref name="sink"/> (an <see cref="IBatchSink{T}"/> of the reduce's output rows).</summary>
    protected abstract void Reduce(ReadOnlyMemory<T>[] runs, object sink, PipelineContext context);

    /// <summary>Pushes <paramref name="rows"/> in batches until a limit downstream has what it needs.</summary>
    protected static void PushAll(ReadOnlySpan<T> rows, IBatchSink<T> sink, PipelineContext context)
    {
        for (var start = 0; start < rows.Length && !context.Stopped; start += BlockReader<T>.BatchRows)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            sink.Push(rows.Slice(start, Math.Min(BlockReader<T>.BatchRows, rows.Length - start)));
        }
    }
}

/// <summary>The runs one after the other (repartitions keep order this way).</summary>
internal sealed class ConcatRunsSource<T> : RunsSource<T>
{
    protected override void Reduce(ReadOnlyMemory<T>[] runs, object sink, PipelineContext context)
    {
        SinkSizing.Expect(sink, runs.Sum(r => (long)r.Length));
        foreach (var run in runs)
        {
            PushAll(run.Span, (IBatchSink<T>)sink, context);
        }
    }
}

/// <summary>The runs together, shuffled by a seed and the partition, so a re-run gives the same order.</summary>
internal sealed class ShuffledRunsSource<T> : RunsSource<T>
{
    public required ulong Seed { get; init; }

    public required int Partition { get; init; }

    protected override void Reduce(ReadOnlyMemory<T>[] runs, object sink, PipelineContext context)
    {
        var rows = new RowCollector<T>();
        var total = runs.Sum(r => (long)r.Length);
        rows.ExpectRows(total);
        foreach (var run in runs)
        {
            rows.Push(run.Span);
        }

        SinkSizing.Expect(sink, total);
        SeededShuffle.Shuffle(rows.WritableRows, Seed, Partition);
        PushAll(rows.Rows, (IBatchSink<T>)sink, context);
    }
}

/// <summary>The sorted runs merged into one sorted sequence, ties in map order.</summary>
internal sealed class MergedRunsSource<T, TKey> : RunsSource<T>
{
    public required RemoteFunction<Func<T, TKey>> Key { get; init; }

    public required SortDirection Direction { get; init; }

    protected override void Reduce(ReadOnlyMemory<T>[] runs, object sink, PipelineContext context)
    {
        var cursor = RunMerger<T, TKey>.Create(Key.Function, Direction).Open(runs);
        SinkSizing.Expect(sink, cursor.RemainingRows);
        RowSpanWriter.Write<T>(sink, cursor.RemainingRows, context, cursor.Fill);
    }
}
