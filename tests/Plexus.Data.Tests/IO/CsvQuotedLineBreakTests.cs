using System.Text;
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
            var sink = new ListSink<Note>();
            for (long start = 0; start < length; start += splitBytes)
            {
                CsvSplitReader.Read(new SourceSplit(path, start, Math.Min(length, start + splitBytes)), CsvSourceOptions.Default, sink, long.MaxValue, CancellationToken.None);
            }

            Assert.Equal(notes, sink.Rows);
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

        CsvSplitReader.Read(new SourceSplit(path, 0, length / 2), CsvSourceOptions.Default, sink, long.MaxValue, CancellationToken.None);
        var error = Assert.Throws<DataFormatException>(() =>
            CsvSplitReader.Read(new SourceSplit(path, length / 2, length), CsvSourceOptions.Default, sink, long.MaxValue, CancellationToken.None));

        Assert.Equal(path, error.File);
        Assert.Equal(162, error.Line);
        Assert.Equal("Id", error.Column);
    }

    [Fact]
    public void AQuoteLeftOpenNamesTheFileAndTheLineWhereItsFieldStarts()
    {
        var path = Write("open.csv", "Id,Text\n1,one\n2,\"two\n3,three\n");

        var error = Assert.Throws<DataFormatException>(() =>
            CsvSplitReader.Read(new SourceSplit(path, 0, new FileInfo(path).Length), CsvSourceOptions.Default, new ListSink<Note>(), long.MaxValue, CancellationToken.None));

        Assert.Equal(path, error.File);
        Assert.Equal(3, error.Line);
    }

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
