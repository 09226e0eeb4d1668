namespace Plexus.Data.Operators;

/// <summary>Gathers rows until a batch is full, so a batch function sees the batch size asked for whatever the source's batches are.</summary>
internal sealed class BatchingSink<TIn, TOut>(Func<ReadOnlyMemory<TIn>, TOut[]> map, int batchRows, IBatchSink<TOut> next) : ChainSink<TIn, TOut>(next)
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
