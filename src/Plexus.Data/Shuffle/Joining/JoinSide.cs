namespace Plexus.Data.Shuffle;

/// <summary>
/// A side of a join: the one a reduce builds its table on (the smaller by bytes), or the one a hot
/// key is spread over (<see cref="JoinSkew{TKey}"/>).
/// </summary>
internal enum JoinSide
{
    Left,
    Right,
}
