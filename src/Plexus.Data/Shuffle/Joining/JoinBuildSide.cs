namespace Plexus.Data.Shuffle;

/// <summary>Which side of a hash join goes into the table; the reduce picks the smaller side by its bytes.</summary>
internal enum JoinBuildSide
{
    Left,
    Right,
}
