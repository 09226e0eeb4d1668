using Plexus.Data.Operators;

namespace Plexus.Data.Worker;

/// <summary>The numbers <c>[Start, Start + Count)</c>, made by the task itself: nothing is stored to rebuild them.</summary>
internal sealed class RangeSource : StageSource
{
    public required long Start { get; init; }

    public required long Count { get; init; }

    public override Task<long> RunAsync(object sink, ReadOnlyMemory<byte> input, PipelineContext context)
    {
        SinkSizing.Expect(sink, Count);
        var next = Start;
        RowSpanWriter.Write<long>(sink, Count, context, rows =>
        {
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = next + i;
            }

            next += rows.Length;
            return rows.Length;
        });
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
        SinkSizing.Expect(sink, Count);
        var generate = Generator.Function;
        var next = Start;
        RowSpanWriter.Write<T>(sink, Count, context, rows =>
        {
            generate(next, rows);
            next += rows.Length;
            return rows.Length;
        });
        return Task.FromResult(Count);
    }

    public override string Describe(int block) => $"generated rows {Start}–{Start + Count} ({Generator.Name})";
}
