namespace Plexus.Data.Operators;

/// <summary><c>MapBatches</c>: the function sees batches of up to <see cref="BatchRows"/> rows and returns any rows for each.</summary>
internal sealed class MapBatchesOperator<TIn, TOut> : Operator<TIn, TOut>
{
    public required RemoteFunction<Func<ReadOnlyMemory<TIn>, TOut[]>> Function { get; init; }

    public required int BatchRows { get; init; }

    public override string Describe() => $"MapBatches({Function.Name})";

    protected override ChainSink<TIn, TOut> Bind(IBatchSink<TOut> next, PipelineContext context) => new Sink(Function.Function, BatchRows, next);

    /// <summary>Gathers rows until a batch is full, so the function sees the batch size asked for whatever the source's batches are.</summary>
    private sealed class Sink(Func<ReadOnlyMemory<TIn>, TOut[]> map, int batchRows, IBatchSink<TOut> next) : ChainSink<TIn, TOut>(next)
    {
        private readonly TIn[] batch = new TIn[batchRows];
        private int count;

        public override void Push(ReadOnlySpan<TIn> rows)
        {
            while (rows.Length > 0)
            {
                var take = Math.Min(rows.Length, batch.Length - count);
                rows[..take].CopyTo(batch.AsSpan(count));
                count += take;
                rows = rows[take..];
                if (count == batch.Length)
                {
                    MapBatch();
                }
            }
        }

        public override void Flush()
        {
            if (count > 0)
            {
                MapBatch();
            }

            base.Flush();
        }

        private void MapBatch()
        {
            var output = map(batch.AsMemory(0, count));
            count = 0;
            Next.Push(output);
        }
    }
}
