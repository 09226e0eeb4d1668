using System.Runtime.CompilerServices;
using Plexus.Data.Actors;
using Plexus.Data.Blocks;
using Plexus.Data.Exchanges;
using Plexus.Data.Execution;
using Plexus.Data.Operators;
using Plexus.Data.Plan;
using Plexus.Data.Shuffle;
using Plexus.Data.Sinks;
using Plexus.Data.Worker;

namespace Plexus.Data;

/// <summary>
/// A lazy, immutable, typed dataset: rows in blocks in the cluster's object store, made by a plan
/// that runs when the dataset is enumerated, counted, collected or written (each time it is).
/// One-to-one operations (<see cref="Map{TOut}(Func{T, TOut})"/>, <see cref="Filter(Func{T, bool})"/>,
/// <see cref="FlatMap{TOut}(Func{T, IEnumerable{TOut}})"/>, <see cref="MapBatches{TOut}(Func{ReadOnlyMemory{T}, TOut[]})"/>) are fused into
/// one task per block. Functions run on workers: they must be static methods or lambdas that capture
/// nothing (<see cref="CapturedStateException"/> otherwise, when the operation is written); pass a
/// state value with the overloads that take one.
/// </summary>
/// <typeparam name="T">The row type: anything Plexus can pass (rows of unmanaged types are read in place, without a copy).</typeparam>
public sealed class Dataset<T> : IAsyncEnumerable<T>
{
    internal Dataset(DataContext context, StagePlan plan)
    {
        Context = context;
        Plan = plan;
    }

    /// <summary>The context the dataset runs in.</summary>
    public DataContext Context { get; }

    internal StagePlan Plan { get; }

    private PlexusRuntime Plexus => Context.Plexus;

    /// <summary>Each row mapped by <paramref name="map"/>.</summary>
    public Dataset<TOut> Map<TOut>(Func<T, TOut> map) =>
        Then(new MapOperator<T, TOut> { Function = Plexus.Function(map) });

    /// <summary>Each row mapped by <paramref name="map"/>, which also gets <paramref name="state"/> (sent to the workers once per task).</summary>
    public Dataset<TOut> Map<TState, TOut>(TState state, Func<TState, T, TOut> map) =>
        Then(new MapWithStateOperator<TState, T, TOut> { State = state, Function = Plexus.Function(map) });

    /// <summary>The rows <paramref name="predicate"/> keeps.</summary>
    public Dataset<T> Filter(Func<T, bool> predicate) =>
        Then(new FilterOperator<T> { Predicate = Plexus.Function(predicate) });

    /// <summary>The rows <paramref name="predicate"/> keeps, which also gets <paramref name="state"/>.</summary>
    public Dataset<T> Filter<TState>(TState state, Func<TState, T, bool> predicate) =>
        Then(new FilterWithStateOperator<TState, T> { State = state, Predicate = Plexus.Function(predicate) });

    /// <summary>The rows <paramref name="map"/> makes of each row, in order.</summary>
    public Dataset<TOut> FlatMap<TOut>(Func<T, IEnumerable<TOut>> map) =>
        Then(new FlatMapOperator<T, TOut> { Function = Plexus.Function(map) });

    /// <summary>The rows <paramref name="map"/> makes of each row, which also gets <paramref name="state"/>.</summary>
    public Dataset<TOut> FlatMap<TState, TOut>(TState state, Func<TState, T, IEnumerable<TOut>> map) =>
        Then(new FlatMapWithStateOperator<TState, T, TOut> { State = state, Function = Plexus.Function(map) });

    /// <summary>The rows <paramref name="map"/> returns for each batch of up to 4096 rows of a block (rows of unmanaged types in place).</summary>
    public Dataset<TOut> MapBatches<TOut>(Func<ReadOnlyMemory<T>, TOut[]> map) => MapBatches(map, BlockReader<T>.BatchRows);

    /// <summary>
    /// The rows <paramref name="map"/> returns for each batch of up to <paramref name="batchRows"/>
    /// rows of a block; the last batch of a block may be smaller.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchRows"/> is less than 1.</exception>
    public Dataset<TOut> MapBatches<TOut>(Func<ReadOnlyMemory<T>, TOut[]> map, int batchRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchRows, 1);
        return Then(new MapBatchesOperator<T, TOut> { Function = Plexus.Function(map), BatchRows = batchRows });
    }

    /// <summary>
    /// The rows a <typeparamref name="TMapper"/> returns for each batch of up to <paramref name="batchRows"/>
    /// rows (default 4096), run by a pool of <paramref name="actors"/> actors that each build one mapper
    /// and keep it for every block they are given: a model is loaded once per actor, not per batch.
    /// The operations written before this one in the same stage run inside the actors too (so actors
    /// that reserve every CPU leave no task waiting), and so do the one-to-one operations after it.
    /// </summary>
    /// <param name="actors">A fixed pool size, or <see cref="ActorPoolSize.Autoscale"/>.</param>
    /// <param name="cpus">CPUs each actor reserves while it lives. Default: 1.</param>
    /// <param name="batchRows">Rows per batch. Default: 4096.</param>
    /// <param name="resources">Other resources each actor reserves (<c>"GPU"</c>). Default: none.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchRows"/> is less than 1, or <paramref name="cpus"/> negative.</exception>
    public Dataset<TOut> MapBatches<TMapper, TOut>(ActorPoolSize actors, double cpus = 1, int? batchRows = null, IReadOnlyDictionary<string, double>? resources = null)
        where TMapper : class, IBatchMapper<T, TOut>, new()
    {
        var rows = batchRows ?? BlockReader<T>.BatchRows;
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1, nameof(batchRows));
        ArgumentOutOfRangeException.ThrowIfNegative(cpus);
        if (actors.Max == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(actors), "An actor pool needs at least one actor.");
        }

        var stage = Plan.Sealed || Plan.Pool is not null ? NextStage() : Plan;
        return new Dataset<TOut>(Context, stage with
        {
            Operators = stage.Operators.Add(new ActorMapOperator<TMapper, T, TOut> { BatchRows = rows }),
            Pool = new ActorPoolSpec(actors, cpus, resources, new MapperFactory<TMapper>()),
        });
    }

    /// <summary>
    /// Runs the operations written since the last <c>WithOptions</c> (or all-to-all operation) with
    /// <paramref name="options"/>: their CPUs, resources, retries, name and placement. Operations after
    /// this one run in other tasks.
    /// </summary>
    public Dataset<T> WithOptions(StageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new Dataset<T>(Context, Plan with { Options = options, Sealed = true });
    }

    /// <summary>
    /// The first <paramref name="count"/> rows, in block order. Tasks stop reading once they have
    /// made that many rows, and blocks past them are not made: tasks in flight are cancelled.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public Dataset<T> Take(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var limited = Then(new LimitOperator<T> { Rows = count }).Plan;
        return new Dataset<T>(Context, limited with { Limit = Math.Min(count, limited.Limit ?? long.MaxValue), Sealed = true });
    }

    /// <summary>
    /// The rows sorted by <paramref name="key"/> (ascending; <see cref="Comparer{T}.Default"/>, or
    /// the key's normalized prefix first when it implements <see cref="INormalizedKey{TSelf}"/>, which
    /// lets blocks be radix sorted). A sample of the keys sets the ranges of the partitions, so one
    /// key holding many rows is spread over several; rows with equal keys come in no set order.
    /// </summary>
    public Dataset<T> OrderBy<TKey>(Func<T, TKey> key) =>
        Exchange(new SortExchange<T, TKey>(Plexus.Function(key), SortDirection.Ascending));

    /// <summary>The rows sorted by <paramref name="key"/>, largest first; see <see cref="OrderBy{TKey}"/>.</summary>
    public Dataset<T> OrderByDescending<TKey>(Func<T, TKey> key) =>
        Exchange(new SortExchange<T, TKey>(Plexus.Function(key), SortDirection.Descending));

    /// <summary>
    /// The rows in <paramref name="blocks"/> blocks. Without <paramref name="shuffle"/>, order is kept:
    /// block p holds the p-th of <paramref name="blocks"/> nearly equal runs of rows. With it, rows are
    /// spread at random (by a seed drawn now, so every run of this dataset gives the same blocks).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="blocks"/> is less than 1.</exception>
    public Dataset<T> Repartition(int blocks, bool shuffle = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        return Exchange(shuffle ? new RandomShuffleExchange<T>((ulong)Random.Shared.NextInt64(), blocks) : new OrderedRepartitionExchange<T>(blocks));
    }

    /// <summary>
    /// The rows in a random order, fixed by <paramref name="seed"/> (drawn now when null): every run of
    /// this dataset, and every re-run of a lost block, gives the same order.
    /// </summary>
    public Dataset<T> RandomShuffle(ulong? seed = null) =>
        Exchange(new RandomShuffleExchange<T>(seed ?? (ulong)Random.Shared.NextInt64(), null));

    /// <summary>The rows grouped by <paramref name="key"/>, to be counted, summed or otherwise aggregated per key.</summary>
    public GroupedDataset<TKey, T> GroupBy<TKey>(Func<T, TKey> key)
        where TKey : notnull => new(this, Plexus.Function(key));

    /// <summary>
    /// A join with <paramref name="right"/>. <see cref="JoinKind.Inner"/> gives <paramref name="result"/>
    /// of each matching pair; <see cref="JoinKind.LeftOuter"/> also each unmatched left row with the
    /// right row's default. Rows come in no set order. <paramref name="strategy"/> says how equal keys
    /// meet: by default the right side is broadcast to the left side's tasks when it is known to be
    /// small (<see cref="DataOptions.BroadcastJoinThresholdBytes"/>), and both sides are hash-partitioned
    /// otherwise; put the larger side on the left.
    /// </summary>
    public Dataset<TOut> Join<TRight, TKey, TOut>(
        Dataset<TRight> right, Func<T, TKey> leftKey, Func<TRight, TKey> rightKey, Func<T, TRight?, TOut> result,
        JoinKind kind = JoinKind.Inner, JoinStrategy strategy = JoinStrategy.Auto)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(right);
        RequireSameContext(right.Context);
        var join = new JoinExchange<T, TRight, TKey, TOut>(Plexus.Function(leftKey), Context.Plexus.Function(rightKey), Plexus.Function(result), kind);
        var rightPlan = right.BlockExactPlan;
        var broadcast = strategy == JoinStrategy.Broadcast
            || (strategy == JoinStrategy.Auto && rightPlan.StoredAsIs is { } stored && stored.Bytes <= Context.Options.BroadcastJoinThresholdBytes);
        if (!broadcast)
        {
            return new Dataset<TOut>(Context, Dataset<TOut>.NewStage($"reduce {join.Name}", new JoinInput(BlockExactPlan, rightPlan, join)));
        }

        // The probe joins the left stage's own tasks, after its operators: a stage closed by options keeps them, and a new one probes.
        var left = BlockExactPlan.Sealed ? NextStage() : BlockExactPlan;
        var origin = $"{left.Name}→{join.BroadcastProbe([]).Describe()}";
        return new Dataset<TOut>(Context, Dataset<TOut>.NewStage(origin, new BroadcastInput(left, rightPlan, static () => new BlockOutput<TRight>(), join)));
    }

    /// <summary>
    /// This dataset's rows followed by <paramref name="other"/>'s, block by block, with no shuffle; nothing
    /// runs until the union does. Duplicates are kept (see <see cref="Distinct"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="other"/> belongs to another runtime.</exception>
    public Dataset<T> Union(Dataset<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        RequireSameContext(other.Context);
        return new Dataset<T>(Context, NewStage("Union", new UnionInput([BlockExactPlan, other.BlockExactPlan], static () => new BlockOutput<T>())));
    }

    /// <summary>
    /// Each distinct row once, in no set order: rows are hash-partitioned by their contents after each
    /// map task has dropped the duplicates it saw, as a group-by combines. Rows are equal by
    /// <see cref="EqualityComparer{T}.Default"/> (by value for records, tuples and primitives).
    /// </summary>
    public Dataset<T> Distinct() =>
        Exchange<(ValueTuple<T> Key, long Count)>(new CombineExchange<T, ValueTuple<T>, long, long>(Plexus.Function(DistinctRow.Of<T>), new CountSpec<T>(), "Distinct"))
            .Map<T>(static row => row.Key.Item1);

    /// <summary>
    /// Each row kept with probability <paramref name="fraction"/> (a Bernoulli draw per row), drawn from
    /// <paramref name="seed"/> (drawn now when null) and the block's index: every run of this dataset,
    /// and every re-run of a block, keeps the same rows.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is outside [0, 1].</exception>
    public Dataset<T> Sample(double fraction, ulong? seed = null)
    {
        if (!(fraction is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "A sampling fraction is a probability, in [0, 1].");
        }

        return Then(new SampleOperator<T> { Fraction = fraction, Seed = seed ?? (ulong)Random.Shared.NextInt64() });
    }

    /// <summary>Runs the dataset and streams its rows in order.</summary>
    public async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await foreach (var batch in IterateBatchesAsync(cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < batch.Length; i++)
            {
                yield return batch.Span[i];
            }
        }
    }

    /// <summary>Runs the dataset and streams its rows block by block, in order (rows of unmanaged types in place, without a copy).</summary>
    public async IAsyncEnumerable<ReadOnlyMemory<T>> IterateBatchesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var run = await RunContext.StartAsync(Plexus, Context.Options, cancellationToken).ConfigureAwait(false);
        try
        {
            await foreach (var block in new StageExecutor(run).RunAsync(Plan, new BlockOutput<T>()).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    using var view = await block.Blocks[0].GetViewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    var rows = BlockReader<T>.Rows(view.Memory);
                    yield return rows[..(int)Math.Min(rows.Length, block.RowsToTake)];
                }
                finally
                {
                    PlexusRuntime.Free([.. block.Blocks]);
                }
            }
        }
        finally
        {
            run.Finish();
        }
    }

    /// <summary>Runs the dataset and calls <paramref name="action"/> on the driver for each row, in order.</summary>
    /// <returns>What each stage did.</returns>
    /// <exception cref="DataExecutionException">A task failed; the exception names its stage and block.</exception>
    public async Task<RunSummary> ForEachAsync(Action<T> action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        var run = await RunContext.StartAsync(Plexus, Context.Options, cancellationToken).ConfigureAwait(false);
        await foreach (var block in new StageExecutor(run).RunAsync(Plan, new BlockOutput<T>()).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                using var view = await block.Blocks[0].GetViewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                var rows = BlockReader<T>.Rows(view.Memory);
                foreach (var row in rows.Span[..(int)Math.Min(rows.Length, block.RowsToTake)])
                {
                    action(row);
                }
            }
            finally
            {
                PlexusRuntime.Free([.. block.Blocks]);
            }
        }

        return run.Finish();
    }

    /// <summary>Runs the dataset and collects its rows on the driver, in order.</summary>
    public async Task<List<T>> ToListAsync(CancellationToken cancellationToken = default)
    {
        var rows = new List<T>();
        await foreach (var batch in IterateBatchesAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.AddRange(batch.Span);
        }

        return rows;
    }

    /// <summary>
    /// Runs the dataset and keeps its blocks in the object store, so later datasets made from
    /// <see cref="MaterializedDataset{T}.Dataset"/> read them instead of running this plan again.
    /// </summary>
    public async Task<MaterializedDataset<T>> MaterializeAsync(CancellationToken cancellationToken = default)
    {
        var run = await RunContext.StartAsync(Plexus, Context.Options, cancellationToken).ConfigureAwait(false);
        var blocks = new List<ObjectRef<byte[]>>();
        long rows = 0, bytes = 0;
        try
        {
            await foreach (var block in new StageExecutor(run).RunAsync(ExactRowsPlan, new BlockOutput<T>()).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                blocks.Add(block.Blocks[0]);
                rows += block.Meta.TotalRows;
                bytes += block.Meta.TotalBytes;
            }
        }
        catch
        {
            PlexusRuntime.Free([.. blocks]);
            run.Finish();
            throw;
        }

        var summary = run.Finish();
        return new MaterializedDataset<T>(new Dataset<T>(Context, NewStage("Materialized", new StoredInput(blocks, bytes))), blocks, rows, bytes, summary);
    }

    /// <summary>Runs the dataset and counts its rows, without bringing them to the driver.</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        var run = await RunContext.StartAsync(Plexus, Context.Options, cancellationToken).ConfigureAwait(false);
        long rows = 0;
        await foreach (var block in new StageExecutor(run).RunAsync(Plan, new BlockOutput<T>()).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            rows += block.RowsToTake;
            PlexusRuntime.Free([.. block.Blocks]);
        }

        run.Finish();
        return rows;
    }

    /// <summary>
    /// Writes the rows as UTF-8 text, one line per row (<paramref name="format"/>, or the row's
    /// <c>ToString()</c>), one file per block (<c>part-000017.txt</c>). Nothing is visible in the
    /// directory until every block is written; then the files and a <c>_SUCCESS</c> manifest appear.
    /// A failed or cancelled write leaves the directory as it was.
    /// </summary>
    /// <exception cref="IOException">The directory holds data and <see cref="WriteOptions.Mode"/> is <see cref="WriteMode.ErrorIfExists"/>.</exception>
    /// <exception cref="DataExecutionException">A task failed; the exception names its stage and block.</exception>
    public Task<WriteResult> WriteTextAsync(string directory, Func<T, string?>? format = null, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        FileWrite.RunAsync(Context, BlockExactPlan, directory, new TextFormat<T> { Format = format is null ? null : Plexus.Function(format) }, options, cancellationToken);

    /// <summary>Writes the rows as CSV with a header (their public properties), one file per block; see <see cref="WriteTextAsync"/>.</summary>
    public Task<WriteResult> WriteCsvAsync(string directory, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        FileWrite.RunAsync(Context, BlockExactPlan, directory, new CsvFormat<T>(), options, cancellationToken);

    /// <summary>A stage's first plan: its input, read as rows of <typeparamref name="T"/>.</summary>
    internal static StagePlan NewStage(string origin, StageInput input) => new()
    {
        Origin = origin,
        Input = input,
        BlockSource = static () => new InputBlockSource<T>(),
        LimitInput = static rows => new LimitOperator<T> { Rows = rows },
    };

    /// <summary>This dataset followed by <paramref name="next"/>: in the same stage, unless options or a limit closed it.</summary>
    internal Dataset<TOut> Then<TOut>(Operator<T, TOut> next)
    {
        var stage = Plan.Sealed ? NextStage() : Plan;
        return new Dataset<TOut>(Context, stage with { Operators = stage.Operators.Add(next) });
    }

    /// <summary>A dataset of the exchange's reduces, whose maps read <see cref="BlockExactPlan"/>.</summary>
    internal Dataset<TOut> Exchange<TOut>(Plan.Exchange exchange) =>
        new(Context, Dataset<TOut>.NewStage($"reduce {exchange.Name}", new ExchangeInput(BlockExactPlan, static () => new BlockOutput<T>(), static () => new InputBlockSource<T>(), exchange)));

    private Dataset<T> Exchange(Plan.Exchange exchange) => Exchange<T>(exchange);

    /// <summary>
    /// A plan whose blocks hold exactly this dataset's rows, for keeping them: after a <c>Take</c>, whose
    /// last block holds rows past the limit (which only a consumer reading in block order cuts), a stage
    /// of tasks reading this one's blocks that cuts the last one and copies the rows of the others once.
    /// </summary>
    internal StagePlan ExactRowsPlan => Plan.Limit is null ? Plan : NextStage();

    /// <summary>
    /// <see cref="ExactRowsPlan"/> whose tasks also take any output, for the operations that use the
    /// blocks themselves (exchanges, joins, writes): after an actor stage, which returns one plain block
    /// per call, a stage of tasks reading its blocks.
    /// </summary>
    internal StagePlan BlockExactPlan => Plan.Pool is null ? ExactRowsPlan : NextStage();

    private void RequireSameContext(DataContext other)
    {
        if (other.Plexus != Plexus)
        {
            throw new ArgumentException("Both datasets must belong to the same Plexus runtime.", nameof(other));
        }
    }

    /// <summary>A new stage reading this one's blocks.</summary>
    private StagePlan NextStage() => NewStage("Map", new UpstreamInput(Plan, static () => new BlockOutput<T>()));
}
