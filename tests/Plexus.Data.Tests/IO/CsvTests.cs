using System.Globalization;
using System.IO.Compression;
using System.Text;
using Plexus.Data.Files;
using Plexus.Data.Sinks;
using Plexus.Data.Sources;

namespace Plexus.Data.Tests.IO;

public sealed class CsvTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public enum Side
    {
        Buy,
        Sell,
    }

    public sealed class Trade
    {
        public int Id { get; set; }

        public string Symbol { get; set; } = "";

        public double Price { get; set; }

        public DateTime When { get; set; }

        public Side Side { get; set; }

        public int? Quantity { get; set; }

        public string? Note { get; set; }
    }

    public sealed record Quote(string Symbol, decimal Bid, decimal Ask);

    public sealed class Tagged
    {
        public string Name { get; set; } = "";

        public List<string> Tags { get; set; } = [];
    }

    [Fact]
    public void RowsBindToPropertiesWhateverTheSplits()
    {
        var trades = Trades(300);
        var path = Write("trades.csv", "Id,Symbol,Price,When,Side,Quantity,Note\n" + string.Concat(trades.Select(t =>
            string.Create(CultureInfo.InvariantCulture, $"{t.Id},{t.Symbol},{t.Price},{t.When:O},{t.Side},{t.Quantity},{t.Note}\n"))));

        foreach (var splitBytes in new long[] { 1, 7, 64, 1000, new FileInfo(path).Length })
        {
            Assert.Equal(trades.Select(Key), CsvSplits.ReadAll<Trade>(path, splitBytes).Select(Key));
        }
    }

    [Fact]
    public void RowsBindToAPositionalRecordWithCrlfAndAByteOrderMark()
    {
        var path = Write("quotes.csv", "\uFEFFSymbol,Bid,Ask\r\nAAA,1.5,1.75\r\nBBB,20,20.5\r\nCCC,0.001,0.002");

        foreach (var splitBytes in new long[] { 1, 5, 30, 1000 })
        {
            Assert.Equal([new Quote("AAA", 1.5m, 1.75m), new Quote("BBB", 20m, 20.5m), new Quote("CCC", 0.001m, 0.002m)], CsvSplits.ReadAll<Quote>(path, splitBytes));
        }
    }

    [Fact]
    public async Task RowsWrittenAsCsvBlocksAreReadBack()
    {
        var output = Path.Combine(_temp.Path, "trades");
        var commit = new FileCommit(output, "run-1", WriteMode.ErrorIfExists, CsvBlockWriter<Trade>.Extension);
        commit.Prepare();
        var trades = Trades(5000);
        commit.Commit([
            await OutputHarness.WriteBlockAsync(commit, 0, trades[..3000], s => new CsvBlockWriter<Trade>(s)),
            await OutputHarness.WriteBlockAsync(commit, 1, trades[3000..], s => new CsvBlockWriter<Trade>(s)),
        ]);

        var read = FileLister.List(output).SelectMany(f => CsvSplits.ReadAll<Trade>(f.Path, 10_000)).ToList();
        Assert.Equal(trades.Select(Key), read.Select(Key));
    }

    [Fact]
    public void AMalformedRowInALaterSplitNamesTheFileItsLineAndColumn()
    {
        var lines = new List<string> { "Symbol,Bid,Ask" };
        lines.AddRange(Enumerable.Range(0, 100).Select(i => $"S{i},{i}.5,{i}.75"));
        lines[80] = "S79,79.5,not-a-price";
        var path = Write("quotes.csv", string.Join("\n", lines) + "\n");
        var length = new FileInfo(path).Length;
        var sink = new ListSink<Quote>();

        CsvSplits.Read(new SourceSplit(path, 0, length / 2), CsvSourceOptions.Default, sink);
        var error = Assert.Throws<DataFormatException>(() =>
            CsvSplits.Read(new SourceSplit(path, length / 2, length), CsvSourceOptions.Default, sink));

        Assert.Equal(path, error.File);
        Assert.Equal(81, error.Line);
        Assert.Equal("Ask", error.Column);
        Assert.Equal("S79,79.5,not-a-price", error.Record);
        Assert.Equal(Encoding.UTF8.GetByteCount(string.Join("\n", lines.Take(80)) + "\n"), error.ByteOffset);
        Assert.Contains($"{path} line 81 column 'Ask'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("..", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHeaderWithoutAColumnOfTheRowTypeIsReported()
    {
        var path = Write("quotes.csv", "Symbol,Bid\nAAA,1\n");

        var error = Assert.Throws<DataFormatException>(() =>
            CsvSplits.Read(new SourceSplit(path, 0, new FileInfo(path).Length), CsvSourceOptions.Default, new ListSink<Quote>()));

        Assert.Equal((path, 1L, "Ask"), (error.File, error.Line, error.Column));
    }

    [Fact]
    public void WithoutAHeaderColumnsBindByPosition()
    {
        var path = Write("quotes.csv", "AAA,1.5,1.75\nBBB,20,20.5\n");
        var sink = new ListSink<Quote>();

        foreach (var splitBytes in new long[] { 1, 13, 100 })
        {
            var length = new FileInfo(path).Length;
            sink.Rows.Clear();
            for (long start = 0; start < length; start += splitBytes)
            {
                CsvSplits.Read(new SourceSplit(path, start, Math.Min(length, start + splitBytes)), new CsvSourceOptions(HasHeader: false), sink);
            }

            Assert.Equal([new Quote("AAA", 1.5m, 1.75m), new Quote("BBB", 20m, 20.5m)], sink.Rows);
        }
    }

    [Fact]
    public void AGzipCsvFileIsReadWholeAndItsErrorsNameTheLine()
    {
        var path = _temp.File("quotes.csv.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes("Symbol,Bid,Ask\nAAA,1,2\nBBB,3,x\n"));
        }

        var sink = new ListSink<Quote>();
        var error = Assert.Throws<DataFormatException>(() =>
            CsvSplits.Read(new SourceSplit(path, 0, new FileInfo(path).Length), CsvSourceOptions.Default, sink));

        Assert.Equal((3L, "Ask", (long?)null), (error.Line, error.Column, error.ByteOffset));
        Assert.Empty(sink.Rows);
    }

    [Fact]
    public void ACsvSplitStopsAtTheRowLimit()
    {
        var path = Write("quotes.csv", "Symbol,Bid,Ask\n" + string.Concat(Enumerable.Range(0, 10_000).Select(i => $"S{i},1,2\n")));
        var sink = new ListSink<Quote>();

        var rows = CsvSplits.Read(new SourceSplit(path, 0, new FileInfo(path).Length), CsvSourceOptions.Default, sink, rowLimit: 5000);

        Assert.Equal(5000, rows);
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => $"S{i}"), sink.Rows.Select(q => q.Symbol));
        Assert.Equal(2, sink.Batches);
    }

    [Fact]
    public void ARowTypeWithAMemberCsvCannotHoldIsRefusedNamingTheMember()
    {
        var path = Write("tagged.csv", "Name,Tags\na,x\n");

        var error = Assert.Throws<NotSupportedException>(() =>
            CsvSplits.Read(new SourceSplit(path, 0, new FileInfo(path).Length), CsvSourceOptions.Default, new ListSink<Tagged>()));

        Assert.Contains("Tagged.Tags", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    private static Trade[] Trades(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Trade
        {
            Id = i,
            Symbol = $"S{i % 13}",
            Price = i * 0.125,
            When = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i * 7),
            Side = i % 2 == 0 ? Side.Buy : Side.Sell,
            Quantity = i % 4 == 0 ? null : i,
            Note = i % 3 == 0 ? null : $"n{i}",
        })];

    private static (int, string, double, DateTime, Side, int?, string?) Key(Trade t) => (t.Id, t.Symbol, t.Price, t.When, t.Side, t.Quantity, t.Note);

    private string Write(string name, string content)
    {
        var path = _temp.File(name);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(content));
        return path;
    }
}
