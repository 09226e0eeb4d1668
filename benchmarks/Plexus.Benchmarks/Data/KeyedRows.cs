using Plexus.Samples.Sort;

namespace Plexus.Benchmarks.Data;

/// <summary>A row of the group-by and join benchmarks: an integer key and a value.</summary>
internal readonly record struct KeyedRow(int Key, long Value);

/// <summary>Rows of <see cref="KeyedRow"/> with keys spread uniformly over a range, the same in every run.</summary>
internal static class KeyedRows
{
    /// <summary>
    /// <paramref name="rows"/> rows whose keys are uniform over 0 .. <paramref name="keys"/> - 1 (every
    /// key is present when rows far outnumber keys) and whose values are the row's index.
    /// </summary>
    public static KeyedRow[] Make(int rows, int keys, ulong seed)
    {
        var made = GC.AllocateUninitializedArray<KeyedRow>(rows);
        for (var i = 0; i < rows; i++)
        {
            made[i] = new KeyedRow((int)(RecordRandom.Of(seed, i).High % (ulong)keys), i);
        }

        return made;
    }

    /// <summary>One row for each key 0 .. <paramref name="keys"/> - 1, in random order.</summary>
    public static KeyedRow[] UniqueKeys(int keys, ulong seed)
    {
        var made = new KeyedRow[keys];
        for (var i = 0; i < keys; i++)
        {
            made[i] = new KeyedRow(i, -i);
        }

        // Fisher-Yates with the fixed random bits, so a build side is not read in key order.
        for (var i = keys - 1; i > 0; i--)
        {
            var j = (int)(RecordRandom.Of(seed, i).High % (ulong)(i + 1));
            (made[i], made[j]) = (made[j], made[i]);
        }

        return made;
    }
}
