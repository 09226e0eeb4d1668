using Plexus.Data.Execution;
using Plexus.Data.Plan;
using Plexus.Data.Sources;
using Plexus.Data.Worker;

namespace Plexus.Data.Files.Csv;

/// <summary>
/// The read tasks of a CSV source whose records may span lines. Each split's quotes are counted once,
/// by a small task over its own range placed as its read task is (<see cref="CsvRecordBoundary.QuotesOdd(SourceSplit)"/>);
/// the driver XORs those parities in split order into the parity before each split's start and end,
/// which its read task takes as plain values (<see cref="SplitQuotes"/>).
/// </summary>
/// <remarks>
/// <para>Why the driver folds the parities rather than each read task taking as arguments those it
/// needs: split i needs the parity of every split of its file before it, i refs for one task and
/// O(S²) in all, where folded here in order each tiny result is fetched once, by its owner. A read task
/// is submitted once the parity tasks before it are done, which costs little, as they run ahead: they
/// are submitted a window (<see cref="DataOptions.MaxTasksInFlight"/>) ahead of the reads, so a run that
/// stops early (a <c>Take</c>) counts the quotes of little it does not read.</para>
/// <para>A file's last split needs no parity task: only the record boundary at a split's end, before
/// the file's end, and later splits read it. Its read task checks itself for a quote left open, so a
/// file read by one split costs no task more than its read.</para>
/// </remarks>
internal sealed class CsvSplitSources<T> : SourceList
{
    private readonly RunContext run;
    private readonly string stage;
    private readonly IReadOnlyList<SourceSplit> splits;
    private readonly CsvSourceOptions options;

    // The parity tasks submitted and not yet folded, by split; null for splits that need none or whose parity is folded.
    private readonly ObjectRef<bool>?[] parities;

    // The number of splits whose parity task is submitted, or that need none.
    private int submitted;

    // Whether an odd number of '"' come before the next split to take, in its file.
    private bool oddBeforeNext;

    private CsvSplitSources(RunContext run, string stage, IReadOnlyList<SourceSplit> splits, CsvSourceOptions options)
    {
        this.run = run;
        this.stage = stage;
        this.splits = splits;
        this.options = options;
        parities = new ObjectRef<bool>?[splits.Count];
    }

    public override int Count => splits.Count;

    /// <summary>
    /// The read tasks of <paramref name="splits"/> (each file's in order, as listed), with parity tasks
    /// first when records may span lines; <paramref name="stage"/> names the stage in errors.
    /// </summary>
    public static SourceList Of(RunContext run, string stage, IReadOnlyList<SourceSplit> splits, CsvSourceOptions options) =>
        options.MultilineRecords
            ? new CsvSplitSources<T>(run, stage, splits, options)
            : Of(splits.Select(split => (StageSource)new CsvFileSource<T> { Split = split, Options = options, Quotes = default }).ToList());

    public override async ValueTask<StageSource> TakeAsync(int index, CancellationToken cancellationToken)
    {
        SubmitParities(Math.Min(splits.Count, index + 1 + run.MaxTasksInFlight));
        var split = splits[index];
        if (split.Start == 0)
        {
            oddBeforeNext = false;
        }
        else if (index == 0 || !SameFile(splits[index - 1], split) || splits[index - 1].End != split.Start)
        {
            throw new InvalidOperationException($"The splits of a CSV file must come in order, from byte 0: {split.Describe()} does not follow the split before it.");
        }

        var oddBeforeStart = oddBeforeNext;
        if (parities[index] is { } parity)
        {
            oddBeforeNext ^= await FetchAsync(index, parity, cancellationToken).ConfigureAwait(false);
        }

        return new CsvFileSource<T> { Split = split, Options = options, Quotes = new SplitQuotes(oddBeforeStart, oddBeforeNext) };
    }

    public override ValueTask DisposeAsync()
    {
        for (var i = 0; i < parities.Length; i++)
        {
            if (parities[i] is { } parity)
            {
                if (parity is { IsReady: false, IsFailed: false })
                {
                    run.Plexus.Cancel(parity);
                }

                PlexusRuntime.Free([parity]);
                parities[i] = null;
            }
        }

        return ValueTask.CompletedTask;
    }

    private static bool SameFile(SourceSplit a, SourceSplit b) => a.Path == b.Path && a.NodeId == b.NodeId;

    /// <summary>Submits the parity tasks of the splits before <paramref name="until"/>: those a later split of the same file follows.</summary>
    private void SubmitParities(int until)
    {
        for (; submitted < until; submitted++)
        {
            var split = splits[submitted];
            var next = submitted + 1 < splits.Count ? splits[submitted + 1] : null;
            if (next is null || !SameFile(split, next) || next.Start != split.End)
            {
                continue;
            }

            parities[submitted] = run.Plexus.Task<SourceSplit, bool>(CsvRecordBoundary.QuotesOdd)
                .WithOptions(new TaskOptions
                {
                    Name = $"quotes of {split.Describe()}",
                    Strategy = split.NodeId is { } node ? SchedulingStrategy.NodeAffinity(node) : SchedulingStrategy.Default,
                })
                .Remote(split);
        }
    }

    private async ValueTask<bool> FetchAsync(int index, ObjectRef<bool> parity, CancellationToken cancellationToken)
    {
        try
        {
            return await parity.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new DataExecutionException(stage, index, $"the quotes of {splits[index].Describe()}", e);
        }
        finally
        {
            PlexusRuntime.Free([parity]);
            parities[index] = null;
        }
    }
}
