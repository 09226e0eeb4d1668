namespace Plexus.Data.Operators;

/// <summary>Writes the next rows into <paramref name="rows"/>, from its start; returns how many (0 when there are no more).</summary>
/// <typeparam name="T">The row type.</typeparam>
internal delegate int RowFiller<T>(Span<T> rows);

/// <summary>
/// Moves rows that a source makes into spans (a generator's, a merge's) to a sink: written straight
/// into the sink's storage when it lends some (<see cref="IRowSpanSink{T}"/>), else into a batch
/// pushed after each fill. Batches of <see cref="Blocks.BlockReader{T}.BatchRows"/> rows either way,
/// with cancellation and a limit downstream heeded between them.
/// </summary>
internal static class RowSpanWriter
{
    /// <returns>The rows written, at most <paramref name="rows"/>.</returns>
    public static long Write<T>(object sink, long rows, PipelineContext context, RowFiller<T> fill)
    {
        var lender = sink as IRowSpanSink<T>;
        T[]? batch = null;
        long written = 0;
        while (written < rows && !context.Stopped)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var wanted = (int)Math.Min(Blocks.BlockReader<T>.BatchRows, rows - written);
            var room = lender is null ? default : lender.GetRowSpan(wanted);
            int filled;
            if (!room.IsEmpty)
            {
                filled = fill(room);
                lender!.Advance(filled);
            }
            else
            {
                // Sized by the first batch wanted: none after it wants more.
                batch ??= GC.AllocateUninitializedArray<T>(wanted);
                filled = fill(batch.AsSpan(0, wanted));
                ((IBatchSink<T>)sink).Push(batch.AsSpan(0, filled));
            }

            if (filled == 0)
            {
                break;
            }

            written += filled;
        }

        return written;
    }
}
