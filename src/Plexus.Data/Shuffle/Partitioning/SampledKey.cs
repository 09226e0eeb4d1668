namespace Plexus.Data.Shuffle;

/// <summary>A sampled sort key with its row's tiebreak (<see cref="RowTiebreak"/>): (key, tiebreak) pairs are totally ordered.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
internal readonly record struct SampledKey<TKey>(TKey Key, ulong Tiebreak);
