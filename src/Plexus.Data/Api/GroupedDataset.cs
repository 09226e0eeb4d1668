using Plexus.Data.Exchanges;

namespace Plexus.Data;

/// <summary>
/// Rows grouped by a key (<see cref="Dataset{T}.GroupBy{TKey}"/>), to be aggregated. Aggregations
/// are combined where the rows are, before the shuffle: each map sends one partial per key it saw,
/// so a key holding most rows costs no more than any other. Results come one row per key, in no set order.
/// </summary>
/// <typeparam name="TKey">The key type: anything Plexus can pass; keys are hashed by their contents, the same in every process.</typeparam>
/// <typeparam name="T">The row type.</typeparam>
public sealed class GroupedDataset<TKey, T>
    where TKey : notnull
{
    private readonly Dataset<T> rows;
    private readonly RemoteFunction<Func<T, TKey>> key;

    internal GroupedDataset(Dataset<T> rows, RemoteFunction<Func<T, TKey>> key)
    {
        this.rows = rows;
        this.key = key;
    }

    /// <summary>The number of rows of each key.</summary>
    public Dataset<(TKey Key, long Count)> Count() => Combine(new CountSpec<T>());

    /// <summary>The sum of <paramref name="value"/> over each key's rows (overflow wraps, as in unchecked C#).</summary>
    public Dataset<(TKey Key, long Sum)> Sum(Func<T, long> value) => Combine(new Int64SumSpec<T> { Value = Function(value) });

    /// <summary>The sum of <paramref name="value"/> over each key's rows, added in the same order on every run.</summary>
    public Dataset<(TKey Key, double Sum)> Sum(Func<T, double> value) => Combine(new DoubleSumSpec<T> { Value = Function(value) });

    /// <summary>The mean of <paramref name="value"/> over each key's rows.</summary>
    public Dataset<(TKey Key, double Mean)> Mean(Func<T, double> value) => Combine(new MeanSpec<T> { Value = Function(value) });

    /// <summary>The smallest <paramref name="value"/> of each key's rows (by <see cref="Comparer{T}.Default"/>).</summary>
    public Dataset<(TKey Key, TValue Min)> Min<TValue>(Func<T, TValue> value) =>
        Combine(new ExtremeSpec<T, TValue> { Value = Function(value), Largest = false });

    /// <summary>The largest <paramref name="value"/> of each key's rows (by <see cref="Comparer{T}.Default"/>).</summary>
    public Dataset<(TKey Key, TValue Max)> Max<TValue>(Func<T, TValue> value) =>
        Combine(new ExtremeSpec<T, TValue> { Value = Function(value), Largest = true });

    /// <summary>
    /// Each key's rows folded by a <typeparamref name="TAggregator"/>, built with its parameterless
    /// constructor in every task: <c>Add</c> on the rows of one block, <c>Merge</c> of the blocks'
    /// accumulators in block order, <c>Finish</c> once per key.
    /// </summary>
    public Dataset<(TKey Key, TResult Value)> Aggregate<TAggregator, TAcc, TResult>()
        where TAggregator : IAggregator<T, TAcc, TResult>, new() =>
        Combine(new CustomAggregatorSpec<TAggregator, T, TAcc, TResult>());

    /// <summary>
    /// <paramref name="map"/> called once per key with all its rows (in block order). Nothing is
    /// combined before the shuffle, so a key holding most rows makes one large group in one task;
    /// prefer an aggregation where one fits.
    /// </summary>
    public Dataset<TOut> MapGroups<TOut>(Func<TKey, IReadOnlyList<T>, TOut> map) =>
        rows.Exchange<TOut>(new MapGroupsExchange<T, TKey, TOut>(key, Function(map)));

    private Dataset<(TKey Key, TResult Value)> Combine<TAcc, TResult>(AggregatorSpec<T, TAcc, TResult> aggregator) =>
        rows.Exchange<(TKey Key, TResult Value)>(new CombineExchange<T, TKey, TAcc, TResult>(key, aggregator));

    private RemoteFunction<TDelegate> Function<TDelegate>(TDelegate function)
        where TDelegate : Delegate => rows.Context.Plexus.Function(function);
}
