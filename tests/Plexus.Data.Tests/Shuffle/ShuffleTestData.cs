namespace Plexus.Data.Tests.Shuffle;

/// <summary>Random inputs for the shuffle kernels' tests, seeded so every run sees the same data.</summary>
internal static class ShuffleTestData
{
    /// <summary>The sizes every kernel is checked at: empty, one row, a few, and more than one batch.</summary>
    public static TheoryData<int> Sizes => [0, 1, 7, 1000, 20_000];

    /// <summary>
    /// Rows (key, position) whose keys repeat heavily: <paramref name="distinct"/> values, and a
    /// quarter of all rows share the key 0.
    /// </summary>
    public static (int Key, int Position)[] RowsWithDuplicates(int count, int distinct, int seed = 12345)
    {
        var random = new Random(seed);
        var rows = new (int Key, int Position)[count];
        for (var i = 0; i < count; i++)
        {
            rows[i] = (random.Next(4) == 0 ? 0 : random.Next(-distinct / 2, distinct / 2), i);
        }

        return rows;
    }
}
