using Plexus.Data.Blocks;
using Plexus.Data.Operators;

namespace Plexus.Data.Worker;

/// <summary>The numbers <c>[Start, Start + Count)</c>, made by the task itself: nothing is stored to rebuild them.</summary>
internal sealed class RangeSource : StageSource
{
    public required long Start { get; init; }

    public required long Count { get; init; }

    public override Task<long> RunAsync(object sink, ReadOnlyMemory<byte> input, PipelineContext context)
    {
        var rows = (IBatchSink<long>)sink;
        SinkSizing.Expect(sink, Count);
        var batch = new long[BlockReader<long>.BatchRows];
        for (var next = Start; next < Start + Count && !context.Stopped; next += batch.Length)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var n = (int)Math.Min(batch.Length, Start + Count - next);
            for (var i = 0; i < n; i++)
            {
                batch[i] = next + i;
            }

            rows.Push(batch.AsSpan(0, n));
        }

        return Task.FromResult(Count);
    }

    public override string Describe(int block) => $"rows {Start}–{Start + Count}";
}

/// <summary>Rows made by a user's generator from their index, so any range can be made (and made again) by any task.</summary>
internal sealed class GenerateSource<T> : StageSource
{
    public required long Start { get; init; }

    public required long Count { get; init; }

    public required RemoteFunction<SpanGenerator<T>> Generator { get; init; }

    public override Task<long> RunAsync(object sink, ReadOnlyMemory<byte> input, PipelineContext context)
    {
        var rows = (IBatchSink<T>)sink;
        SinkSizing.Expect(sink, Count);
        var batch = new T[BlockReader<T>.BatchRows];
        var fill = Generator.Function;
        for (var next = Start; next < Start + Count && !context.Stopped; next += batch.Length)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var n = (int)Math.Min(batch.Length, Start + Count - next);
            fill(next, batch.AsSpan(0, n));
            rows.Push(batch.AsSpan(0, n));
        }

        return Task.FromResult(Count);
    }

    public override string Describe(int block) => $"generated rows {Start}–{Start + Count} ({Generator.Name})";
}
