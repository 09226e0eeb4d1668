namespace Plexus.Data.Shuffle;

/// <summary>
/// The sort's sample task: takes evenly spaced keys of a block, each with its row's tiebreak, for
/// <see cref="RangeBoundaries{TKey}.Pick"/>. The same block gives the same samples on every run.
/// </summary>
internal static class KeySampler
{
    /// <summary>
    /// Up to <paramref name="count"/> keys, from rows spaced evenly through <paramref name="rows"/>
    /// (all rows when there are fewer), where <paramref name="rows"/> starts at row
    /// <paramref name="firstRowIndex"/> of block <paramref name="blockIndex"/>.
    /// </summary>
    public static SampledKey<TKey>[] Sample<T, TKey>(
        ReadOnlySpan<T> rows, Func<T, TKey> keyOf, int count, long blockIndex, long firstRowIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(keyOf);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var samples = new SampledKey<TKey>[Math.Min(count, rows.Length)];
        for (var s = 0; s < samples.Length; s++)
        {
            // The middle of the s-th of equal slices, so that samples stay clear of the block's two ends.
            var row = (int)((((2L * s) + 1) * rows.Length) / (2L * samples.Length));
            samples[s] = new SampledKey<TKey>(keyOf(rows[row]), RowTiebreak.Of(blockIndex, firstRowIndex + row));
        }

        return samples;
    }
}
