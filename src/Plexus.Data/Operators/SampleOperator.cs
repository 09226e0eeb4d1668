using Plexus.Data.Shuffle;

namespace Plexus.Data.Operators;

/// <summary>
/// <c>Sample</c>: keeps each row with probability <see cref="Fraction"/>, drawn from a generator
/// seeded by (<see cref="Seed"/>, the task's block), one draw per row in order, so a re-run block
/// keeps the same rows and two blocks draw independently.
/// </summary>
internal sealed class SampleOperator<T> : Operator<T, T>
{
    public required double Fraction { get; init; }

    public required ulong Seed { get; init; }

    public override string Describe() => $"Sample({Fraction})";

    protected override ChainSink<T, T> Bind(IBatchSink<T> next, PipelineContext context) =>
        new Sink(new SeededRandom(Seed, context.Block), Threshold(Fraction), next);

    /// <summary>The draw below which a row is kept: a fraction of 1 keeps every row, 0 none.</summary>
    private static ulong Threshold(double fraction) =>
        fraction >= 1 ? ulong.MaxValue : (ulong)(fraction * 18446744073709551616.0);

    private sealed class Sink(SeededRandom random, ulong threshold, IBatchSink<T> next) : ChainSink<T, T>(next)
    {
        // The block's generator: advanced once per row whatever the batches, so batch sizes do not change the draws.
        private SeededRandom random = random;

        public override void Push(ReadOnlySpan<T> rows)
        {
            var output = Buffer(rows.Length);
            var kept = 0;
            foreach (var row in rows)
            {
                if (random.NextUInt64() < threshold || threshold == ulong.MaxValue)
                {
                    output[kept++] = row;
                }
            }

            if (kept > 0)
            {
                Next.Push(output.AsSpan(0, kept));
            }
        }
    }
}
