using System.Text;
using Plexus.Data.Files.Csv;
using Plexus.Data.Sources;

namespace Plexus.Data.Tests.IO;

/// <summary>
/// Quoted CSV fields holding line breaks (RFC 4180) are read as one field whatever byte ranges cut the
/// file, including ranges that start inside a quoted field; malformed rows still name the file and line.
/// </summary>
public sealed class CsvQuotedLineBreakTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public sealed record Note(int Id, string Text);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void QuotedFieldsHoldingLineBreaksAreReadOnceWhateverTheSplits()
    {
        // Texts whose inner lines look like records, with escaped quotes and CRLF: a split starting in
        // one would read a record that is not there if it took the next line break as a record's end.
        var notes = Enumerable.Range(0, 300).Select(i => new Note(i, (i % 3) switch
        {
            0 => $"plain {i}",
            1 => $"line {i}\n{i + 1000},\"\"fake\"\", {i}\r\n{i + 2000},also fake",
            _ => $"\n\n{i},\"\"quoted\"\"\n",
        })).ToList();
        var path = WriteNotes("notes.csv", notes);
        var length = new FileInfo(path).Length;

        foreach (var splitBytes in new long[] { 1, 7, 33, 100, 1000, length })
        {
            Assert.Equal(notes, CsvSplits.ReadAll<Note>(path, splitBytes));
        }
    }

    [Fact]
    public void ACutAtAnyByteAroundQuotedLineBreaksAndEscapedQuotesGivesTheSameRows()
    {
        // Cut at every offset: exactly on a record's start, just before and after it, inside a quoted
        // line break, between the two quotes of an escaped "" and just after a field's closing quote.
        var notes = new List<Note> { new(1, "a\nb"), new(2, "say \"\"hi\"\"\r\n2,x"), new(3, "\""), new(4, "plain"), new(5, "\n\"\n") };
        var path = WriteNotes("cuts.csv", notes);
        var length = new FileInfo(path).Length;

        for (long cut = 1; cut < length; cut++)
        {
            var sink = new ListSink<Note>();
            CsvSplits.Read(new SourceSplit(path, 0, cut), CsvSourceOptions.Default, sink);
            CsvSplits.Read(new SourceSplit(path, cut, length), CsvSourceOptions.Default, sink);
            Assert.True(notes.SequenceEqual(sink.Rows), $"cut at {cut}");
        }
    }

    [Fact]
    public void EachSplitsQuoteParityXoredGivesTheParityBeforeEveryLaterSplit()
    {
        var notes = Enumerable.Range(0, 200).Select(i => new Note(i, i % 2 == 0 ? $"\"{i}\"\n\"" : $"{i}")).ToList();
        var path = WriteNotes("parity.csv", notes);

        var odd = false;
        foreach (var split in CsvSplits.Cut(path, 37))
        {
            Assert.Equal(CsvSplits.QuotesOf(split).OddBeforeStart, odd);
            odd ^= CsvRecordBoundary.QuotesOdd(split);
            Assert.Equal(CsvSplits.QuotesOf(split).OddBeforeEnd, odd);
        }
    }

    [Fact]
    public void EachSplitReadsItsOwnBytesABoundedNumberOfTimesWhereverItLies()
    {
        // Half the file's bytes are quoted text over many lines, so cuts fall inside quoted fields.
        var notes = Enumerable.Range(0, 12_000).Select(i => new Note(i, string.Join('\n', Enumerable.Repeat($"line of note {i}, \"quoted\"", 1 + (i % 13))))).ToList();
        var path = WriteNotes("bounded.csv", notes);
        var length = new FileInfo(path).Length;
        var splitBytes = length / 8 + 1;
        Assert.True(splitBytes > 4 * Chunk, "splits much larger than a read chunk, so a read of the bytes before a split shows");
        CsvSplits.ReadAll<Note>(path, length); // Loads and compiles what the reads use before their bytes are counted.

        var sink = new ListSink<Note>();
        foreach (var split in CsvSplits.Cut(path, splitBytes))
        {
            var quotes = CsvSplits.QuotesOf(split);
            var parityBytes = ThreadReadBytes(() => CsvRecordBoundary.QuotesOdd(split));
            var readBytes = ThreadReadBytes(() => CsvSplitReader.Read(split, CsvSourceOptions.Default, quotes, sink, long.MaxValue, CancellationToken.None));

            // The parity task counts its own range; the read scans its range for its first record, parses its
            // records, reads on to its last record's end, and checks an end of file for an open quote.
            var own = split.End - split.Start;
            Assert.InRange(parityBytes, own, own + Slack);
            Assert.InRange(readBytes, own, (split.End == length ? 3 : 2) * own + 3 * Chunk + Slack);
        }

        Assert.Equal(notes, sink.Rows);
    }

    [Fact]
    public void AQuoteLeftOpenIsReportedOnceWhateverTheSplitsNamingItsLine()
    {
        var path = Write("open-many.csv", "Id,Text\n1,one\n2,\"two\n3,three\n4,\"four\"\n");

        foreach (var splitBytes in new long[] { 1, 4, 9, 20 })
        {
            var errors = new List<DataFormatException>();
            var sink = new ListSink<Note>();
            foreach (var split in CsvSplits.Cut(path, splitBytes))
            {
                try
                {
                    CsvSplits.Read(split, CsvSourceOptions.Default, sink);
                }
                catch (DataFormatException e)
                {
                    errors.Add(e);
                }
            }

            var error = Assert.Single(errors);
            Assert.Equal((path, 3L), (error.File, error.Line));
            Assert.Equal(new Note(1, "one"), sink.Rows[0]);
        }
    }

    [Fact]
    public void RecordsOfOneLineReadWithoutQuoteParitiesGiveTheSameRows()
    {
        var notes = Enumerable.Range(0, 300).Select(i => new Note(i, $"a, \"{i}\", b")).ToList();
        var path = WriteNotes("single-line.csv", notes);
        var options = new CsvSourceOptions(MultilineRecords: false);

        foreach (var splitBytes in new long[] { 1, 7, 100, new FileInfo(path).Length })
        {
            var sink = new ListSink<Note>();
            foreach (var split in CsvSplits.Cut(path, splitBytes))
            {
                // Parities that would be wrong if they were read: records of one line need none.
                CsvSplitReader.Read(split, options, new SplitQuotes(true, true), sink, long.MaxValue, CancellationToken.None);
            }

            Assert.Equal(notes, sink.Rows);
        }
    }

    [Fact]
    public void AQuotedLineBreakWhenRecordsAreOneLineIsAMalformedRowNamingItsLine()
    {
        var path = Write("broken.csv", "Id,Text\n1,one\n2,\"two\nlines\"\n3,three\n");
        var length = new FileInfo(path).Length;

        foreach (var cut in new long[] { 1, 16, length - 1 })
        {
            var sink = new ListSink<Note>();
            var error = Assert.Throws<DataFormatException>(() =>
            {
                foreach (var split in new[] { new SourceSplit(path, 0, cut), new SourceSplit(path, cut, length) })
                {
                    CsvSplits.Read(split, new CsvSourceOptions(MultilineRecords: false), sink);
                }
            });

            Assert.Equal((path, 3L, "2,\"two"), (error.File, error.Line, error.Record));
            Assert.InRange(error.ByteOffset ?? -1, 14, 20); // The record's line, "2,\"two\n", in the file.
            Assert.Contains("MultilineRecords", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AMalformedRowAfterMultiLineFieldsInALaterSplitNamesTheFileAndItsLine()
    {
        var notes = Enumerable.Range(0, 100).Select(i => new Note(i, $"first\nsecond {i}")).ToList();
        var content = new StringBuilder(Serialize(notes.Take(80)));
        // Line 1 is the header and each note takes two lines: the bad row starts on line 162.
        content.Append("not-a-number,\"x\ny\"\n");
        content.Append(Serialize(notes.Skip(80)).Split('\n', 2)[1]);
        var path = Write("bad.csv", content.ToString());
        var length = new FileInfo(path).Length;
        var sink = new ListSink<Note>();

        CsvSplits.Read(new SourceSplit(path, 0, length / 2), CsvSourceOptions.Default, sink);
        var error = Assert.Throws<DataFormatException>(() =>
            CsvSplits.Read(new SourceSplit(path, length / 2, length), CsvSourceOptions.Default, sink));

        Assert.Equal(path, error.File);
        Assert.Equal(162, error.Line);
        Assert.Equal("Id", error.Column);
    }

    [Fact]
    public void AQuoteLeftOpenNamesTheFileAndTheLineWhereItsFieldStarts()
    {
        var path = Write("open.csv", "Id,Text\n1,one\n2,\"two\n3,three\n");

        var error = Assert.Throws<DataFormatException>(() =>
            CsvSplits.Read(new SourceSplit(path, 0, new FileInfo(path).Length), CsvSourceOptions.Default, new ListSink<Note>()));

        Assert.Equal(path, error.File);
        Assert.Equal(3, error.Line);
    }

    private const long Chunk = 64 * 1024;

    // Bytes read besides the file's: reading the thread's counters once.
    private const long Slack = 4096;

    /// <summary>The bytes <paramref name="read"/> reads through read system calls on this thread (it must not leave it).</summary>
    private static long ThreadReadBytes(Action read)
    {
        var before = ReadChars();
        read();
        return ReadChars() - before;
    }

    private static long ReadChars() =>
        long.Parse(File.ReadLines("/proc/thread-self/io").First(l => l.StartsWith("rchar:", StringComparison.Ordinal))["rchar:".Length..], System.Globalization.CultureInfo.InvariantCulture);

    private static string Serialize(IEnumerable<Note> notes) =>
        "Id,Text\n" + string.Concat(notes.Select(n => $"{n.Id},\"{n.Text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"\n"));

    private string WriteNotes(string name, IEnumerable<Note> notes) => Write(name, Serialize(notes));

    private string Write(string name, string content)
    {
        var path = _temp.File(name);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(content));
        return path;
    }
}
