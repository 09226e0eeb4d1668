namespace Plexus.Data.Shuffle;

/// <summary>
/// Finds the keys of a block that would overload one hash partition: from up to <see cref="SampleRows"/>
/// rows spread evenly through the block, a key holding at least twice the share a partition should get
/// (2/R of the rows) is hot, and is given as many partitions as its share needs to be no bigger than an
/// average one (at most R).
/// </summary>
internal static class HotKeySampler
{
    /// <summary>Rows sampled per block: a share of 2/R is then seen about 2048/R times, well above the noise of a few counts.</summary>
    public const int SampleRows = 1024;

    /// <summary>The least a key must be seen in the sample to be hot, so a small block's chance repeats are not.</summary>
    public const int MinimumSampled = 8;

    /// <summary>The hot keys of <paramref name="rows"/> with their fan-outs and estimated rows; empty when there are none (or R is 1).</summary>
    public static List<HotKey<TKey>> Find<T, TKey>(ReadOnlySpan<T> rows, Func<T, TKey> keyOf, int partitions)
        where TKey : notnull
    {
        var hot = new List<HotKey<TKey>>();
        if (partitions < 2 || rows.Length < MinimumSampled)
        {
            return hot;
        }

        var sampled = Math.Min(rows.Length, SampleRows);
        var counts = new Dictionary<TKey, int>();
        for (var i = 0; i < sampled; i++)
        {
            var key = keyOf(rows[(int)((long)i * rows.Length / sampled)]);
            if (key is not null)
            {
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }

        foreach (var (key, count) in counts)
        {
            if (count >= MinimumSampled && (long)count * partitions >= 2L * sampled)
            {
                var fanout = (int)Math.Min(partitions, ((long)count * partitions + sampled - 1) / sampled);
                hot.Add(new HotKey<TKey>(key, fanout, (long)count * rows.Length / sampled));
            }
        }

        return hot;
    }
}
