namespace Plexus.Data.Shuffle;

/// <summary>
/// A key a join's map found on a large share of its rows, how many partitions its rows are spread
/// over (<c>hash mod R</c> and the <see cref="Fanout"/> − 1 partitions after it, mod R), and about
/// how many rows of the block hold it (its share of the sample times the block's rows). Travels as a
/// block row from the maps to the driver, which weighs the two sides' rows of a key hot on both.
/// </summary>
/// <typeparam name="TKey">The join's key type.</typeparam>
internal readonly record struct HotKey<TKey>(TKey Key, int Fanout, long Rows);
