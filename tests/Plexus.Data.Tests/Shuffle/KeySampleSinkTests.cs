using Plexus.Data.Exchanges;
using Plexus.Data.Shuffle;

namespace Plexus.Data.Tests.Shuffle;

public sealed class KeySampleSinkTests
{
    private const long Block = 5;

    [Theory]
    [InlineData(0, 10)]
    [InlineData(7, 10)]
    [InlineData(10_000, 320)]
    [InlineData(100_003, 320)]
    public void SamplingAsRowsPassTakesTheKeysOfSamplingTheWholeBlock(int rowCount, int count)
    {
        var rows = ShuffleTestData.RowsWithDuplicates(rowCount, distinct: 1000);
        var expected = KeySampler.Sample<(int Key, int Position), int>(rows, row => row.Key, count, Block);

        var streamed = new KeySampleSink<(int Key, int Position), int>(row => row.Key, count, Block);
        streamed.ExpectRows(rows.Length);
        PushInBatches(streamed, rows, 4096);
        var kept = new KeySampleSink<(int Key, int Position), int>(row => row.Key, count, Block);
        PushInBatches(kept, rows, 1000);

        Assert.Equal(expected, streamed.Samples());
        Assert.Equal(expected, kept.Samples());
    }

    [Fact]
    public void SamplingAsRowsPassKeepsNoCopyOfTheRows()
    {
        var rows = TestRecord.Generate(200_000);
        var sink = new KeySampleSink<TestRecord, RecordKey>(row => row.SortKey, 320, Block);

        var before = GC.GetAllocatedBytesForCurrentThread();
        sink.ExpectRows(rows.Length);
        PushInBatches(sink, rows, 4096);
        var samples = sink.Samples();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(320, samples.Length);
        Assert.True(allocated < 64 * 1024, $"sampling {rows.Length} rows of 100 bytes allocated {allocated} bytes");
    }

    [Fact]
    public void RowsOtherThanTheAnnouncedOnesAreRefused()
    {
        var sink = new KeySampleSink<int, int>(row => row, 10, Block);
        sink.ExpectRows(100);
        sink.Push(new int[60]);

        Assert.Throws<InvalidOperationException>(() => sink.Samples());
    }

    private static void PushInBatches<T, TKey>(KeySampleSink<T, TKey> sink, T[] rows, int batch)
    {
        for (var start = 0; start < rows.Length; start += batch)
        {
            sink.Push(rows.AsSpan(start, Math.Min(batch, rows.Length - start)));
        }
    }
}
