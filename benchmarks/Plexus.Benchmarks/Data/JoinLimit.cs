namespace Plexus.Benchmarks.Data;

/// <summary>
/// <c>limit_join_rows_per_second</c>: rows per second, build and probe rows counted together as the
/// figure counts them, of a hash join on one thread, times the cores: a <see cref="Dictionary{TKey, TValue}"/>
/// built over 1 M rows of unique keys, probed by 10 M rows whose keys all match one.
/// </summary>
internal static class JoinLimit
{
    public const int BuildRows = 1_000_000;
    public const int ProbeRows = 10_000_000;

    public static double Measure()
    {
        var build = KeyedRows.UniqueKeys(BuildRows, seed: 6);
        var probe = KeyedRows.Make(ProbeRows, BuildRows, seed: 7);
        long matches = 0;
        var seconds = SingleThreadLoop.BestSeconds(() => matches = Join(build, probe));
        if (matches != ProbeRows)
        {
            throw new InvalidOperationException($"The join limit's loop matched {matches} rows instead of {ProbeRows}: the loop is wrong.");
        }

        return SingleThreadLoop.TimesCores((BuildRows + ProbeRows) / seconds);
    }

    // Returns the number of joined pairs.
    private static long Join(KeyedRow[] build, KeyedRow[] probe)
    {
        var table = new Dictionary<int, long>(build.Length);
        foreach (var row in build)
        {
            table.Add(row.Key, row.Value);
        }

        long matches = 0;
        foreach (var row in probe)
        {
            if (table.ContainsKey(row.Key))
            {
                matches++;
            }
        }

        return matches;
    }
}
