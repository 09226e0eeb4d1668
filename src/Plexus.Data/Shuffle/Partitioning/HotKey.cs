namespace Plexus.Data.Shuffle;

/// <summary>
/// A key a join's map found on a large share of its rows, and how many partitions its rows are
/// spread over: <c>hash mod R</c> and the <see cref="Fanout"/> − 1 partitions after it (mod R).
/// Travels as a block row from the maps to the driver and from the driver to the other side's maps.
/// </summary>
/// <typeparam name="TKey">The join's key type.</typeparam>
internal readonly record struct HotKey<TKey>(TKey Key, int Fanout);
