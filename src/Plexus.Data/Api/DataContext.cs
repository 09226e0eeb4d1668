using Plexus.Data.Blocks;
using Plexus.Data.Execution;
using Plexus.Data.Files;
using Plexus.Data.Files.Csv;
using Plexus.Data.Plan;
using Plexus.Data.Sources;
using Plexus.Data.Worker;

namespace Plexus.Data;

/// <summary>
/// Makes datasets on one cluster: from collections, ranges, generators and files. Datasets are lazy:
/// nothing runs until one is enumerated, counted, collected or written.
/// </summary>
public sealed class DataContext
{
    internal DataContext(PlexusRuntime plexus, DataOptions options)
    {
        Plexus = plexus;
        Options = options;
    }

    /// <summary>The cluster the datasets run on.</summary>
    public PlexusRuntime Plexus { get; }

    /// <summary>How they run.</summary>
    public DataOptions Options { get; }

    /// <summary>
    /// The items, put into the object store by the driver in <paramref name="blocks"/> blocks (default:
    /// one per CPU, at most <see cref="DataOptions.TargetBlockBytes"/> each when that gives more).
    /// The items are read once, now.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="blocks"/> is less than 1.</exception>
    public Dataset<T> FromItems<T>(IEnumerable<T> items, int? blocks = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        var rows = items.ToArray();
        var count = blocks ?? Math.Max(1, Math.Min(rows.Length, Environment.ProcessorCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var refs = new List<ObjectRef<byte[]>>(count);
        long bytes = 0;
        for (var i = 0; i < count; i++)
        {
            var (start, end) = Slice(rows.Length, count, i);
            var block = BlockBuilder<T>.Of(rows.AsSpan((int)start, (int)(end - start)));
            bytes += block.Length;
            refs.Add(Plexus.Put(block));
        }

        return new Dataset<T>(this, Dataset<T>.NewStage("FromItems", new StoredInput(refs, bytes)));
    }

    /// <summary>
    /// The numbers 0 to <paramref name="count"/> − 1, made by tasks in <paramref name="blocks"/> blocks
    /// (default: 8-byte rows cut at <see cref="DataOptions.TargetBlockBytes"/>, at least one per CPU).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative, or <paramref name="blocks"/> less than 1.</exception>
    public Dataset<long> Range(long count, int? blocks = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new Dataset<long>(this, Dataset<long>.NewStage("Range", new SourceInput((run, _) =>
            ValueTask.FromResult(SourceList.Of(Splits(run, count, sizeof(long), blocks, (start, end) => (StageSource)new RangeSource { Start = start, Count = end - start }))))));
    }

    /// <summary>
    /// <paramref name="count"/> rows made by <paramref name="generator"/> inside tasks, a range of row
    /// indexes per block, so no row passes through the driver and a lost block is made again.
    /// </summary>
    /// <exception cref="CapturedStateException"><paramref name="generator"/> captures variables: use a static method or lambda.</exception>
    public Dataset<T> Generate<T>(long count, SpanGenerator<T> generator, int? blocks = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var function = Plexus.Function(generator);
        var rowBytes = RowFormat<T>.IsRaw ? RowFormat<T>.RecordSize : 64;
        return new Dataset<T>(this, Dataset<T>.NewStage($"Generate({function.Name})", new SourceInput((run, _) =>
            ValueTask.FromResult(SourceList.Of(Splits(run, count, rowBytes, blocks, (start, end) => (StageSource)new GenerateSource<T> { Start = start, Count = end - start, Generator = function }))))));
    }

    /// <summary>
    /// The lines of the UTF-8 text files at <paramref name="paths"/> (a file, a directory read
    /// recursively, or a glob such as <c>/data/logs/**/*.log</c>; names starting with <c>_</c> or
    /// <c>.</c> are skipped). Files are cut into blocks by byte ranges, each read by a task where the
    /// file is (<see cref="FileReadOptions.Locality"/>); a <c>.gz</c> file is read whole by one task.
    /// </summary>
    /// <exception cref="FileNotFoundException">When the run starts: nothing is at the path.</exception>
    public Dataset<string> ReadText(string paths, FileReadOptions? options = null) =>
        FileDataset<string>("ReadText", paths, options, FileSplits.Format.Lines, 1, EachSplit(static (split, _) => new TextFileSource { Split = split }));

    /// <summary>
    /// The rows of the CSV files at <paramref name="paths"/>, bound to <typeparamref name="T"/> by
    /// header name (its settable properties or its positional constructor; by position without a
    /// header). A malformed row fails the run with a <see cref="DataFormatException"/> naming the file,
    /// the line and the column. Quoted fields may hold line breaks (RFC 4180); a quote never closed fails
    /// the run with a <see cref="DataFormatException"/> naming the line where its record starts. Each split's
    /// quotes are counted first, by a small task over its own range, which
    /// <see cref="FileReadOptions.MultilineRecords"/> = false spares when records never span lines.
    /// </summary>
    public Dataset<T> ReadCsv<T>(string paths, FileReadOptions? options = null) =>
        FileDataset<T>("ReadCsv", paths, options, FileSplits.Format.Lines, 1,
            static (run, stage, splits, o) => CsvSplitSources<T>.Of(run, stage, splits, new CsvSourceOptions(o.HasHeader, o.Separator, o.MultilineRecords)));

    /// <summary>
    /// The rows of the Parquet files at <paramref name="paths"/>, as <typeparamref name="T"/> (columns
    /// by property name), read whole row groups per task. A column the type needs but the file lacks,
    /// or of another type, fails the run with a <see cref="DataFormatException"/> naming it.
    /// </summary>
    public Dataset<T> ReadParquet<T>(string paths, FileReadOptions? options = null)
        where T : class, new() =>
        FileDataset<T>("ReadParquet", paths, options, FileSplits.Format.Parquet, 1, EachSplit(static (split, _) => new ParquetFileSource<T> { Split = split }));

    /// <summary>
    /// The fixed-size binary records of <typeparamref name="T"/> in the files at <paramref name="paths"/>
    /// (the layout of <typeparamref name="T"/> in memory), read in place and cut on record boundaries.
    /// A file whose size is not a whole number of records fails the run with a <see cref="DataFormatException"/>.
    /// </summary>
    public Dataset<T> ReadRecords<T>(string paths, FileReadOptions? options = null)
        where T : unmanaged =>
        FileDataset<T>("ReadRecords", paths, options, FileSplits.Format.Records, System.Runtime.CompilerServices.Unsafe.SizeOf<T>(),
            EachSplit(static (split, _) => new RecordFileSource<T> { Split = split }));

    /// <summary>A file source's stage: its splits listed when the run starts, their read tasks made by <paramref name="sources"/> (given the run, the stage's name, the splits and the options).</summary>
    private Dataset<T> FileDataset<T>(
        string origin, string paths, FileReadOptions? options, FileSplits.Format format, int recordBytes,
        Func<RunContext, string, IReadOnlyList<SourceSplit>, FileReadOptions, SourceList> sources)
    {
        ArgumentException.ThrowIfNullOrEmpty(paths);
        var read = options ?? FileReadOptions.Default;
        var fullPath = Path.GetFullPath(paths);
        var name = $"{origin}({paths})";
        return new Dataset<T>(this, Dataset<T>.NewStage(name, new SourceInput(async (run, cancellationToken) =>
            sources(run, name, await FileSplits.ListAsync(run, fullPath, read, format, recordBytes, cancellationToken).ConfigureAwait(false), read))));
    }

    /// <summary>One read task per split, each made by <paramref name="source"/> alone.</summary>
    private static Func<RunContext, string, IReadOnlyList<SourceSplit>, FileReadOptions, SourceList> EachSplit(Func<SourceSplit, FileReadOptions, StageSource> source) =>
        (_, _, splits, read) => SourceList.Of([.. splits.Select(split => source(split, read))]);

    private static IReadOnlyList<StageSource> Splits(RunContext run, long count, int rowBytes, int? blocks, Func<long, long, StageSource> make)
    {
        var n = blocks ?? (int)Math.Clamp(count * rowBytes / Math.Max(1, run.Options.TargetBlockBytes) + 1, Math.Min(count, run.Cpus), int.MaxValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(blocks));
        return [.. Enumerable.Range(0, n).Select(i => Slice(count, n, i)).Select(s => make(s.Start, s.End))];
    }

    /// <summary>Part <paramref name="index"/> of <paramref name="parts"/> nearly equal parts of <c>[0, count)</c>.</summary>
    internal static (long Start, long End) Slice(long count, int parts, int index) =>
        (count * index / parts, count * (index + 1) / parts);
}
