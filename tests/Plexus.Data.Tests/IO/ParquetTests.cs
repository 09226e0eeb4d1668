using Parquet;
using Parquet.Serialization;
using Plexus.Data.Files;
using Plexus.Data.Sinks;
using Plexus.Data.Sources;

namespace Plexus.Data.Tests.IO;

public sealed class ParquetTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public sealed class Trade
    {
        public int Id { get; set; }

        public string? Symbol { get; set; }

        public double Price { get; set; }

        public long? Volume { get; set; }
    }

    public sealed class TradeWithWideId
    {
        public long Id { get; set; }
    }

    public sealed class TradeWithVenue
    {
        public int Id { get; set; }

        public string? Venue { get; set; }
    }

    [Fact]
    public async Task RowsWrittenAsOneRowGroupPerBlockAreReadBack()
    {
        var output = Path.Combine(_temp.Path, "trades");
        var commit = new FileCommit(output, "run-1", WriteMode.ErrorIfExists, ParquetBlockWriter<Trade>.Extension);
        commit.Prepare();
        var trades = Trades(9000);
        commit.Commit([
            await OutputHarness.WriteBlockAsync(commit, 0, trades[..5000], s => new ParquetBlockWriter<Trade>(s)),
            await OutputHarness.WriteBlockAsync(commit, 1, trades[5000..], s => new ParquetBlockWriter<Trade>(s)),
        ]);

        var splits = await ParquetSplitter.SplitAsync(FileLister.List(output), targetBytes: 1 << 20, nodeId: null, CancellationToken.None);
        Assert.Equal(2, splits.Count);
        Assert.All(splits, s => Assert.Equal((SplitUnit.RowGroups, 0L, 1L), (s.Unit, s.Start, s.End)));

        var read = await ReadAllAsync<Trade>(splits);
        Assert.Equal(trades.Select(Key), read.Select(Key));
    }

    [Fact]
    public async Task SplitsAreWholeRowGroupsPackedUpToTheTarget()
    {
        var path = _temp.File("many-groups.parquet");
        var trades = Trades(10_000);
        await ParquetSerializer.SerializeAsync(trades, path, new ParquetOptions { RowGroupSize = 1000 });
        var groupBytes = await GroupBytesAsync(path);
        var target = (groupBytes.Max() * 3) + 1;

        var splits = await ParquetSplitter.SplitAsync(FileLister.List(path), target, nodeId: null, CancellationToken.None);

        Assert.Equal(0, splits[0].Start);
        Assert.Equal(groupBytes.Length, splits[^1].End);
        for (var i = 0; i < splits.Count; i++)
        {
            var (start, end) = ((int)splits[i].Start, (int)splits[i].End);
            var packed = groupBytes[start..end].Sum();
            Assert.True(packed <= target, $"split {i} holds {packed} bytes, over the target {target}");
            if (i + 1 < splits.Count)
            {
                Assert.Equal(end, splits[i + 1].Start);
                Assert.True(end - start >= 3, $"split {i} holds {end - start} row groups, where 3 fit");
                Assert.True(packed + groupBytes[end] > target, $"split {i} stops before a row group that fits");
            }
        }

        Assert.Equal(trades.Select(Key), (await ReadAllAsync<Trade>(splits)).Select(Key));
    }

    [Fact]
    public async Task AColumnOfAnotherTypeIsNamedWithItsRowGroup()
    {
        var path = _temp.File("trades.parquet");
        await ParquetSerializer.SerializeAsync(Trades(10), path, new ParquetOptions { RowGroupSize = 5 });
        var sink = new ListSink<TradeWithWideId>();

        var error = await Assert.ThrowsAsync<DataFormatException>(() =>
            ParquetSplitReader.ReadAsync(new SourceSplit(path, 1, 2, SplitUnit.RowGroups), sink, long.MaxValue, CancellationToken.None));

        Assert.Equal((path, "Id", 1), (error.File, error.Column, error.RowGroup));
        Assert.Contains("Int32", error.Reason, StringComparison.Ordinal);
        Assert.Empty(sink.Rows);
    }

    [Fact]
    public async Task AMissingColumnIsNamed()
    {
        var path = _temp.File("trades.parquet");
        await ParquetSerializer.SerializeAsync(Trades(10), path);

        var error = await Assert.ThrowsAsync<DataFormatException>(() =>
            ParquetSplitReader.ReadAsync(new SourceSplit(path, 0, 1, SplitUnit.RowGroups), new ListSink<TradeWithVenue>(), long.MaxValue, CancellationToken.None));

        Assert.Equal(("Venue", 0), (error.Column, error.RowGroup));
    }

    public void Dispose() => _temp.Dispose();

    private static Trade[] Trades(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Trade { Id = i, Symbol = i % 5 == 0 ? null : $"S{i % 17}", Price = i * 0.25, Volume = i % 3 == 0 ? null : i * 10L })];

    private static (int, string?, double, long?) Key(Trade t) => (t.Id, t.Symbol, t.Price, t.Volume);

    private static async Task<List<T>> ReadAllAsync<T>(IEnumerable<SourceSplit> splits)
        where T : class, new()
    {
        var sink = new ListSink<T>();
        foreach (var split in splits)
        {
            await ParquetSplitReader.ReadAsync(split, sink, long.MaxValue, CancellationToken.None);
        }

        return sink.Rows;
    }

    private static async Task<long[]> GroupBytesAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        return [.. reader.Metadata!.RowGroups.Select(g => g.TotalCompressedSize!.Value)];
    }
}
