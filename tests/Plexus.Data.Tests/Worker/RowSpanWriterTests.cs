using Plexus.Data.Blocks;
using Plexus.Data.Exchanges;
using Plexus.Data.Operators;
using Plexus.Data.Tests.Shuffle;

namespace Plexus.Data.Tests.Worker;

/// <summary>
/// Sources that make rows into spans (generators, merges) write them straight into a block that
/// lends its room, and push batches to any other sink; a map keeps its input block's rows where they are.
/// </summary>
public sealed class RowSpanWriterTests
{
    private const int Rows = 10_000;

    [Fact]
    public void RowsAreWrittenIntoTheRoomASinkLendsWithoutAPush()
    {
        var sink = new LendingSink(Rows);

        var written = RowSpanWriter.Write<long>(sink, Rows, new PipelineContext(CancellationToken.None), Counting(0));

        Assert.Equal(Rows, written);
        Assert.Equal(Enumerable.Range(0, Rows).Select(i => (long)i), sink.Rows);
        Assert.Equal(0, sink.Pushes);
    }

    [Fact]
    public void ASinkThatLendsNoRoomGetsBatches()
    {
        var sink = new RecordingSink<long>();

        RowSpanWriter.Write<long>(sink, Rows, new PipelineContext(CancellationToken.None), Counting(5));

        Assert.Equal(Enumerable.Range(5, Rows).Select(i => (long)i), sink.Rows);
        Assert.All(sink.BatchSizes, size => Assert.InRange(size, 1, BlockReader<long>.BatchRows));
    }

    [Fact]
    public void ABuilderToldItsRowCountLendsItsBlockAndOnlyThen()
    {
        var told = new BlockBuilder<long>();
        told.ExpectRows(Rows);
        Assert.Equal(Rows, told.GetRowSpan(Rows + 1).Length);
        RowSpanWriter.Write<long>(told, Rows, new PipelineContext(CancellationToken.None), Counting(0));
        Assert.True(told.GetRowSpan(1).IsEmpty, "a full block has no more room");

        var block = told.Build();

        Assert.Equal(BlockHeader.Size + (Rows * sizeof(long)), block.Length);
        Assert.Equal(Enumerable.Range(0, Rows).Select(i => (long)i), BlockReader<long>.Rows(block).ToArray());
        Assert.True(new BlockBuilder<long>().GetRowSpan(Rows).IsEmpty, "a builder not told its row count has no block to lend");
    }

    [Fact]
    public void ACollectorKeepingRowsInPlaceCopiesThemOnlyWhenMoreRowsFollow()
    {
        long[] input = [1, 2, 3];
        var collector = new RowCollector<long>();
        collector.KeepInPlace(input);
        Assert.True(collector.Rows.Overlaps(input), "rows kept in place are read where they are");

        collector.Push([4L, 5]);

        Assert.Equal([1L, 2, 3, 4, 5], collector.Rows.ToArray());
        Assert.False(collector.Rows.Overlaps(input));
        Assert.Equal([1L, 2, 3], input);
    }

    private static RowFiller<long> Counting(long first)
    {
        var next = first;
        return rows =>
        {
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = next++;
            }

            return rows.Length;
        };
    }

    /// <summary>Lends an array's room and counts pushes, which a writer should not need.</summary>
    private sealed class LendingSink(int capacity) : IRowSpanSink<long>
    {
        private readonly long[] rows = new long[capacity];
        private int count;

        public int Pushes { get; private set; }

        public IEnumerable<long> Rows => rows.Take(count);

        public Span<long> GetRowSpan(int wanted) => rows.AsSpan(count, Math.Min(wanted, capacity - count));

        public void Advance(int written) => count += written;

        public void Push(ReadOnlySpan<long> batch)
        {
            Pushes++;
            batch.CopyTo(rows.AsSpan(count));
            count += batch.Length;
        }
    }
}
