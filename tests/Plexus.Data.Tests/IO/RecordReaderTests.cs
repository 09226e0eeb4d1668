using System.Runtime.InteropServices;
using Plexus.Data.Files;
using Plexus.Data.Sinks;
using Plexus.Data.Sources;

namespace Plexus.Data.Tests.IO;

public sealed class RecordReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [StructLayout(LayoutKind.Sequential)]
    internal readonly record struct Reading(long Sensor, double Value, int Flags);

    [Fact]
    public async Task RecordsWrittenByBlocksAreReadBackAcrossSplits()
    {
        var output = Path.Combine(_temp.Path, "readings");
        var commit = new FileCommit(output, "run-1", WriteMode.ErrorIfExists, RecordBlockWriter<Reading>.Extension);
        commit.Prepare();
        var rows = Enumerable.Range(0, 10_000).Select(i => new Reading(i, i * 0.5, i % 7)).ToArray();
        commit.Commit([
            await OutputHarness.WriteBlockAsync(commit, 0, rows[..6000], s => new RecordBlockWriter<Reading>(s)),
            await OutputHarness.WriteBlockAsync(commit, 1, rows[6000..], s => new RecordBlockWriter<Reading>(s)),
        ]);

        var size = Marshal.SizeOf<Reading>();
        var sink = new ListSink<Reading>();
        foreach (var file in FileLister.List(output))
        {
            // Splits of 1000 records and a remainder, as the splitter cuts larger files.
            for (long start = 0; start < file.Length; start += 1000 * size)
            {
                RecordReader.Read(new SourceSplit(file.Path, start, Math.Min(file.Length, start + (1000 * size))), sink, long.MaxValue, CancellationToken.None);
            }
        }

        Assert.Equal(rows, sink.Rows);
    }

    [Fact]
    public void ATrailingPartialRecordIsReportedWithItsOffset()
    {
        var path = _temp.File("cut.bin");
        var size = Marshal.SizeOf<Reading>();
        File.WriteAllBytes(path, new byte[(10 * size) + 5]);
        var sink = new ListSink<Reading>();

        var error = Assert.Throws<DataFormatException>(() =>
            RecordReader.Read(new SourceSplit(path, 5 * size, (10 * size) + 5), sink, long.MaxValue, CancellationToken.None));

        Assert.Equal(path, error.File);
        Assert.Equal(10 * size, error.ByteOffset);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Empty(sink.Rows);
    }

    [Fact]
    public void ARecordSplitStopsAtTheRowLimit()
    {
        var path = _temp.File("ints.bin");
        File.WriteAllBytes(path, MemoryMarshal.AsBytes(Enumerable.Range(0, 10_000).ToArray().AsSpan()).ToArray());
        var sink = new ListSink<int>();

        var rows = RecordReader.Read(new SourceSplit(path, 0, 40_000), sink, rowLimit: 5000, CancellationToken.None);

        Assert.Equal(5000, rows);
        Assert.Equal(Enumerable.Range(0, 5000), sink.Rows);
        Assert.Equal(2, sink.Batches);
    }

    public void Dispose() => _temp.Dispose();
}
