namespace Plexus.Data.Shuffle;

/// <summary>The reduce side of RandomShuffle: Fisher-Yates with rng(seed, partition), the same order on every run.</summary>
internal static class SeededShuffle
{
    public static void Shuffle<T>(Span<T> rows, ulong seed, int partition)
    {
        var random = new SeededRandom(seed, partition);
        for (var i = rows.Length - 1; i > 0; i--)
        {
            var j = random.NextBelow(i + 1);
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }
    }
}
