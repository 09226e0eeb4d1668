using Plexus.Samples.Sort;

namespace Plexus.Data.Tests;

/// <summary>File sources and sinks end to end: round trips against LINQ, atomic writes, retries that do not duplicate, format errors.</summary>
[Collection(DataRuntimeCollection.Name)]
[Slow]
public sealed class FileTests(DataRuntime runtime) : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("plexus-data-files-");

    private DataContext Data => runtime.Plexus.Data(new DataOptions { TargetBlockBytes = 64 << 10 });

    public void Dispose() => root.Delete(recursive: true);

    [Fact]
    public async Task TextWrittenAndReadBackMatchesLinqAndAppearsWithAManifest()
    {
        var output = Path.Combine(root.FullName, "lines");
        var written = await Data.Range(20_000, blocks: 5).Map(static x => $"line {x}").WriteTextAsync(output);

        Assert.Equal(5, written.Files.Count);
        Assert.Equal(20_000, written.Rows);
        Assert.True(File.Exists(Path.Combine(output, "_SUCCESS")));
        Assert.False(Directory.Exists(Path.Combine(output, "_temporary")) && Directory.EnumerateFileSystemEntries(Path.Combine(output, "_temporary")).Any());

        var lines = await Data.ReadText(output).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 20_000).Select(x => $"line {x}"), lines);
    }

    [Fact]
    public async Task CsvRecordsRoundTripTyped()
    {
        var trips = Enumerable.Range(0, 5000).Select(i => new Trip(i, $"city-{i % 17}", i % 40 / 4.0)).ToList();
        var output = Path.Combine(root.FullName, "trips");
        await Data.FromItems(trips, blocks: 3).WriteCsvAsync(output);

        var longTrips = await Data.ReadCsv<Trip>(output).Filter(static t => t.Miles > 1).ToListAsync();
        Assert.Equal(trips.Where(t => t.Miles > 1), longTrips);
    }

    [Fact]
    public async Task CsvRecordsSpanningLinesAcrossSplitsMatchAWholeFileParse()
    {
        // Quoted notes of about 100 KB, so the 1 MiB splits of each file start and end inside quoted fields.
        var notes = Enumerable.Range(0, 50).Select(i => new Note(i, string.Concat(Enumerable.Range(0, 3000).Select(j => $"note {i}, \"line\" {j}\n")))).ToList();
        var input = Directory.CreateDirectory(Path.Combine(root.FullName, "notes")).FullName;
        await File.WriteAllTextAsync(Path.Combine(input, "a.csv"), Csv(notes[..25]));
        await File.WriteAllTextAsync(Path.Combine(input, "b.csv"), Csv(notes[25..]));

        Assert.Equal(notes, await Data.ReadCsv<Note>(input).ToListAsync());
        Assert.Equal(notes[..2], await Data.ReadCsv<Note>(input).Take(2).ToListAsync());

        // Records of one line read with no parity tasks give the same rows.
        var lines = notes.Select(n => n with { Text = n.Text.Replace('\n', ' ') }).ToList();
        var single = Directory.CreateDirectory(Path.Combine(root.FullName, "single-line")).FullName;
        await File.WriteAllTextAsync(Path.Combine(single, "a.csv"), Csv(lines));
        Assert.Equal(lines, await Data.ReadCsv<Note>(single, new FileReadOptions { MultilineRecords = false }).ToListAsync());

        // A quote opened in the first split and never closed is named by the line of its record.
        var open = Directory.CreateDirectory(Path.Combine(root.FullName, "open-quote")).FullName;
        var before = Csv(notes[..3]) + "3,\"never closed\n";
        await File.WriteAllTextAsync(Path.Combine(open, "a.csv"), before + string.Concat(Enumerable.Range(4, 120_000).Select(i => $"{i},plain {i}\n")));
        var error = await Assert.ThrowsAsync<DataExecutionException>(() => Data.ReadCsv<Note>(open).ToListAsync());
        var format = Assert.IsType<DataFormatException>(error.Cause);
        Assert.Equal(before.Count(c => c == '\n'), format.Line);
    }

    [Fact]
    public async Task ParquetRowsRoundTrip()
    {
        var rows = Enumerable.Range(0, 3000).Select(i => new Reading { Sensor = $"s{i % 9}", Value = i * 0.5, Time = i }).ToList();
        var output = Path.Combine(root.FullName, "readings");
        await Data.FromItems(rows, blocks: 4).WriteParquetAsync(output);

        var back = await Data.ReadParquet<Reading>(output).ToListAsync();
        Assert.Equal(rows.Select(r => (r.Sensor, r.Value, r.Time)), back.Select(r => (r.Sensor, r.Value, r.Time)));
    }

    [Fact]
    public async Task RecordFilesSortedThroughFilesValidate()
    {
        var input = Path.Combine(root.FullName, "gensort");
        var output = Path.Combine(root.FullName, "sorted");
        var before = GensortFiles.Write(input, records: 50_000, fileBytes: 1 << 20, seed: 5, CancellationToken.None);

        var written = await Data.ReadRecords<GensortRecord>(input).OrderBy(static r => r.Key).WriteRecordsAsync(output);

        Assert.Equal(50_000, written.Rows);
        var validation = SortValidator.ValidateFiles(GensortFiles.List(output), CancellationToken.None);
        Assert.True(validation.IsSorted);
        Assert.Equal(before, validation.Checksum);
    }

    [Fact]
    public async Task CountTokensOfTextFilesMatchesLinqAndFlatMap()
    {
        var input = Directory.CreateDirectory(Path.Combine(root.FullName, "words")).FullName;
        var random = new Random(3);
        var vocabulary = Enumerable.Range(0, 500).Select(i => $"Word{i}").Append("the").ToArray();
        var lines = Enumerable.Range(0, 20_000).Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(0, 12))
            .Select(_ => random.Next(3) == 0 ? "the" : vocabulary[random.Next(vocabulary.Length)]))).ToList();
        await File.WriteAllLinesAsync(Path.Combine(input, "a.txt"), lines.Take(12_000));
        await File.WriteAllLinesAsync(Path.Combine(input, "b.txt"), lines.Skip(12_000));

        var counted = await Data.ReadText(input).CountTokens(static (line, tokens) =>
        {
            foreach (var range in line.Split(' '))
            {
                if (!line[range].IsEmpty)
                {
                    tokens.Add(line[range]);
                }
            }
        }).ToListAsync();
        var flatMapped = await Data.ReadText(input).FlatMap(static line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).GroupBy(static w => w).Count().ToListAsync();

        var expected = lines.SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).GroupBy(w => w).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(expected, counted.ToDictionary(c => c.Key, c => c.Count));
        Assert.Equal(expected, flatMapped.ToDictionary(c => c.Key, c => c.Count));
    }

    [Fact]
    public async Task AFailedWriteLeavesNothingVisible()
    {
        var output = Path.Combine(root.FullName, "failed");
        await Assert.ThrowsAsync<DataExecutionException>(() =>
            Data.Range(1000, blocks: 4).Map(static x => x == 900 ? throw new InvalidOperationException("row 900") : x).WriteTextAsync(output));

        Assert.Empty(Directory.Exists(output) ? Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task BlocksRetriedAfterAThrowAreWrittenOnceEach()
    {
        var markers = Directory.CreateDirectory(Path.Combine(root.FullName, "markers")).FullName;
        var output = Path.Combine(root.FullName, "retried");

        var written = await Data.Range(1000, blocks: 10)
            .Map(markers, static (dir, x) => FailFirstAttemptOfBlock(dir, x))
            .WithOptions(new StageOptions { RetryExceptions = true, MaxRetries = 2 })
            .WriteTextAsync(output);

        Assert.Equal(10, Directory.EnumerateFiles(markers).Count());
        var parts = Directory.EnumerateFiles(output, "part-*").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(10, parts.Count);
        Assert.Equal(Enumerable.Range(0, 1000).Select(x => x.ToString(System.Globalization.CultureInfo.InvariantCulture)), parts.SelectMany(File.ReadLines));
        Assert.Equal(1000, written.Rows);
    }

    [Fact]
    public async Task AMalformedCsvRowNamesTheFileLineAndColumn()
    {
        var input = Directory.CreateDirectory(Path.Combine(root.FullName, "bad-csv")).FullName;
        var lines = new List<string> { "Id,City,Miles" };
        lines.AddRange(Enumerable.Range(0, 2000).Select(i => i == 1233 ? $"{i},x,not-a-number" : $"{i},x,{i}"));
        var file = Path.Combine(input, "trips.csv");
        await File.WriteAllLinesAsync(file, lines);

        var error = await Assert.ThrowsAsync<DataExecutionException>(() => Data.ReadCsv<Trip>(input).ToListAsync());

        var format = Assert.IsType<DataFormatException>(error.Cause);
        Assert.Equal(file, format.File);
        Assert.Equal(1235, format.Line);
        Assert.Equal("Miles", format.Column);
    }

    [Fact]
    public async Task AMissingPathIsNamed()
    {
        var missing = Path.Combine(root.FullName, "nothing-here");
        var error = await Assert.ThrowsAnyAsync<IOException>(() => Data.ReadText(missing).ToListAsync());
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    private static string Csv(IEnumerable<Note> notes) =>
        "Id,Text\n" + string.Concat(notes.Select(n => $"{n.Id},\"{n.Text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"\n"));

    private static long FailFirstAttemptOfBlock(string markers, long x)
    {
        var marker = Path.Combine(markers, (x / 100).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (x % 100 == 50 && !File.Exists(marker))
        {
            File.WriteAllText(marker, "");
            throw new IOException($"first attempt of block {x / 100}");
        }

        return x;
    }

    public sealed record Trip(int Id, string City, double Miles);

    public sealed record Note(int Id, string Text);

    public sealed class Reading
    {
        public string Sensor { get; set; } = "";

        public double Value { get; set; }

        public long Time { get; set; }
    }
}
