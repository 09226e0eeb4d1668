using Plexus.Data.Blocks;
using Plexus.Data.Execution;
using Plexus.Data.Plan;
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
        for (var i = 0; i < count; i++)
        {
            var (start, end) = Slice(rows.Length, count, i);
            refs.Add(Plexus.Put(BlockBuilder<T>.Of(rows.AsSpan((int)start, (int)(end - start)))));
        }

        return new Dataset<T>(this, Dataset<T>.NewStage("FromItems", new StoredInput(refs)));
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
            ValueTask.FromResult(Splits(run, count, sizeof(long), blocks, (start, end) => (StageSource)new RangeSource { Start = start, Count = end - start })))));
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
            ValueTask.FromResult(Splits(run, count, rowBytes, blocks, (start, end) => (StageSource)new GenerateSource<T> { Start = start, Count = end - start, Generator = function })))));
    }

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
