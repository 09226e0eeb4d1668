using System.Text;
using Plexus.Data.Sinks;

namespace Plexus.Data.Tests.IO;

public sealed class BlockWriterTests
{
    public sealed record Point(int X, int Y);

    [Fact]
    public async Task TextRowsAreWrittenByTheFormatFunctionOrToString()
    {
        Assert.Equal("1:2\n3:4\n", await WriteAsync(s => new TextBlockWriter<Point>(s, p => $"{p.X}:{p.Y}"), new Point(1, 2), new Point(3, 4)));
        Assert.Equal("Point { X = 5, Y = 6 }\n", await WriteAsync(s => new TextBlockWriter<Point>(s), new Point(5, 6)));
    }

    [Fact]
    public async Task CsvRowsAreWrittenUnderAHeaderEvenForAnEmptyBlock()
    {
        Assert.Equal("X,Y\n1,2\n", await WriteAsync(s => new CsvBlockWriter<Point>(s), new Point(1, 2)));
        Assert.Equal("X,Y\n", await WriteAsync<Point>(s => new CsvBlockWriter<Point>(s)));
    }

    [Fact]
    public async Task AWriterReportsItsRowsAndTheBytesItWrote()
    {
        using var stream = new MemoryStream();
        var writer = new RecordBlockWriter<long>(stream);
        writer.Push([1L, 2L, 3L]);
        writer.Push([4L]);

        var written = await writer.CompleteAsync(CancellationToken.None);

        Assert.Equal(new BlockWriteResult(4, 32), written);
        Assert.Equal(32, stream.Length);
    }

    private static async Task<string> WriteAsync<T>(Func<Stream, IBlockFileWriter<T>> writerFor, params T[] rows)
    {
        using var stream = new MemoryStream();
        var writer = writerFor(stream);
        writer.Push(rows);
        var written = await writer.CompleteAsync(CancellationToken.None);
        Assert.Equal((rows.Length, stream.Length), (written.Rows, written.Bytes));
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
