namespace Plexus.Data.Shuffle;

/// <summary>Opens <see cref="LoserTreeCursor{T, TKey, TOrder}"/> merges in one key order.</summary>
internal sealed class LoserTreeMerger<T, TKey, TOrder>(Func<T, TKey> keyOf, TOrder order) : RunMerger<T, TKey>
    where TOrder : struct, IKeyOrder<TKey>
{
    public override MergeCursor<T> Open(ReadOnlySpan<ReadOnlyMemory<T>> runs) =>
        new LoserTreeCursor<T, TKey, TOrder>(runs.ToArray(), keyOf, order);
}
