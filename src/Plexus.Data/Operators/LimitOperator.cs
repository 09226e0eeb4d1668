namespace Plexus.Data.Operators;

/// <summary>
/// <c>Take</c> within one task: passes the first <see cref="Rows"/> rows and then tells the source
/// to stop, so a task reads no further than it must. The executor applies the global limit.
/// </summary>
internal sealed class LimitOperator<T> : Operator<T, T>
{
    public required long Rows { get; init; }

    public override string Describe() => $"Take({Rows})";

    protected override ChainSink<T, T> Bind(IBatchSink<T> next, PipelineContext context) => new Sink(Rows, context, next);

    private sealed class Sink(long limit, PipelineContext context, IBatchSink<T> next) : ChainSink<T, T>(next)
    {
        private long passed;

        public override void Push(ReadOnlySpan<T> rows)
        {
            var take = (int)Math.Min(rows.Length, limit - passed);
            if (take > 0)
            {
                passed += take;
                Next.Push(rows[..take]);
            }

            if (passed >= limit)
            {
                context.Stopped = true;
            }
        }
    }
}
