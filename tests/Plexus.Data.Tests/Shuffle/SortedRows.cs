using Plexus.Data.Shuffle;

namespace Plexus.Data.Tests.Shuffle;

/// <summary>A sorter's positions applied to its rows: the sorted rows, to compare with LINQ.</summary>
internal static class SortedRows
{
    public static TRow[] Sorted<TRow, TKey>(this BlockSorter<TRow, TKey> sorter, ReadOnlySpan<TRow> rows)
    {
        var positions = new int[rows.Length];
        sorter.Order(rows, positions);
        var sorted = new TRow[rows.Length];
        for (var i = 0; i < positions.Length; i++)
        {
            sorted[i] = rows[positions[i]];
        }

        return sorted;
    }
}
