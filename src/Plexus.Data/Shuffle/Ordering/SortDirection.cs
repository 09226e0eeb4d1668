namespace Plexus.Data.Shuffle;

/// <summary>The order of a sort, a merge or a range partitioning.</summary>
internal enum SortDirection
{
    Ascending,
    Descending,
}
