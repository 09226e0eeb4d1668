namespace Plexus.Data.Shuffle;

/// <summary>
/// A key hot on one side of a hashed join or both, as the driver settled it once both sides were
/// mapped: the side whose maps spread it (over <see cref="SpreadFanout"/> partitions from
/// <c>hash mod R</c>), and over how many partitions from there the other side's maps left its rows
/// (<see cref="CopyFanout"/>: 1 when it was hot on one side only). Travels as a block row to the reduces.
/// </summary>
/// <typeparam name="TKey">The join's key type.</typeparam>
internal readonly record struct SkewedJoinKey<TKey>(TKey Key, JoinSide SpreadSide, int SpreadFanout, int CopyFanout);
