using System.IO.Compression;
using System.Text;
using Plexus.Data.Sources;

namespace Plexus.Data.Tests.IO;

public sealed class TextLineReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public static TheoryData<string, string> Files => new()
    {
        { "plain", "alpha\nbeta\ngamma\n" },
        { "no final newline", "alpha\nbeta\ngamma" },
        { "crlf", "alpha\r\nbeta\r\n\r\ngamma\r\n" },
        { "bom", "\uFEFFalpha\nbeta\n" },
        { "bom only", "\uFEFF" },
        { "bom and crlf without final newline", "\uFEFF\r\nx\r\ny" },
        { "empty", "" },
        { "only newlines", "\n\n\n" },
        { "single char lines", "a\nb\nc\nd\ne\nf\n" },
        { "unicode", "héllo\nwörld\n日本語\n" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryLineIsReadExactlyOnceWhateverTheSplitSize(string name, string content)
    {
        var path = Write(name, content);
        var length = new FileInfo(path).Length;
        var expected = ReferenceLines(content);
        for (long splitBytes = 1; splitBytes <= length + 1; splitBytes++)
        {
            Assert.Equal(expected, ReadAll(path, length, splitBytes));
        }
    }

    [Fact]
    public void LinesLongerThanTheBufferAreReadWhole()
    {
        var random = new Random(7);
        var lines = Enumerable.Range(0, 40).Select(i => new string((char)('a' + (i % 26)), random.Next(0, 200_000))).ToList();
        var content = string.Join("\n", lines) + "\n";
        var path = Write("long", content);
        var length = new FileInfo(path).Length;
        foreach (var splitBytes in new long[] { 1000, 65_535, 65_536, 65_537, 300_001, length })
        {
            Assert.Equal(lines, ReadAll(path, length, splitBytes));
        }
    }

    [Fact]
    public void AGzipFileIsReadWholeFromOneSplit()
    {
        var lines = Enumerable.Range(0, 10_000).Select(i => $"line {i}").ToList();
        var path = _temp.File("lines.txt.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
        }

        var sink = new ListSink<string>();
        TextLineReader.ReadLines(new SourceSplit(path, 0, new FileInfo(path).Length), sink, long.MaxValue, CancellationToken.None);
        Assert.Equal(lines, sink.Rows);
    }

    [Fact]
    public void LinesArePushedInBatchesAndStopAtTheRowLimit()
    {
        var content = string.Concat(Enumerable.Range(0, 10_000).Select(i => $"{i}\n"));
        var path = Write("many", content);
        var sink = new ListSink<string>();
        var rows = TextLineReader.ReadLines(new SourceSplit(path, 0, new FileInfo(path).Length), sink, rowLimit: 9000, CancellationToken.None);

        Assert.Equal(9000, rows);
        Assert.Equal(Enumerable.Range(0, 9000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), sink.Rows);
        Assert.Equal(3, sink.Batches);
    }

    [Fact]
    public void ACancelledReadStopsBetweenBatches()
    {
        var content = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"{i}\n"));
        var path = Write("cancel", content);
        using var cancel = new CancellationTokenSource();
        var sink = new ListSink<string> { AfterEachBatch = cancel.Cancel };

        Assert.ThrowsAny<OperationCanceledException>(() =>
            TextLineReader.ReadLines(new SourceSplit(path, 0, new FileInfo(path).Length), sink, long.MaxValue, cancel.Token));
        Assert.Equal(1, sink.Batches);
    }

    [Fact]
    public void Utf8LinesAreGivenWithoutLineEndings()
    {
        var path = Write("utf8", "\uFEFFone\r\ntwo\nthree");
        var lines = new List<string>();
        var rows = TextLineReader.ReadUtf8Lines(new SourceSplit(path, 0, new FileInfo(path).Length), line => lines.Add(Encoding.UTF8.GetString(line)), long.MaxValue, CancellationToken.None);

        Assert.Equal(3, rows);
        Assert.Equal(["one", "two", "three"], lines);
    }

    public void Dispose() => _temp.Dispose();

    private static List<string> ReadAll(string path, long length, long splitBytes)
    {
        var sink = new ListSink<string>();
        for (long start = 0; start < length; start += splitBytes)
        {
            var split = new SourceSplit(path, start, Math.Min(length, start + splitBytes));
            TextLineReader.ReadLines(split, sink, long.MaxValue, CancellationToken.None);
        }

        return sink.Rows;
    }

    // The lines a reader of the whole file should see: cut at '\n', one trailing '\r' and a leading BOM removed.
    private static List<string> ReferenceLines(string content)
    {
        content = content.TrimStart('\uFEFF');
        if (content.Length == 0)
        {
            return [];
        }

        var lines = content.Split('\n').ToList();
        if (content.EndsWith('\n'))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines.Select(l => l.EndsWith('\r') ? l[..^1] : l).ToList();
    }

    private string Write(string name, string content)
    {
        var path = _temp.File(name.Replace(' ', '-') + ".txt");
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(content));
        return path;
    }
}
