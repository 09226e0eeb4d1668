using System.Runtime.InteropServices;

namespace Plexus.Benchmarks.Data;

/// <summary>
/// <c>limit_groupby_rows_per_second</c>: rows per second of summing 10 M <c>(int Key, long Value)</c>
/// rows over 100 K keys into a <see cref="Dictionary{TKey, TValue}"/> on one thread, times the
/// cores. The rows are made beforehand, untimed, as the figure's come from a source.
/// </summary>
internal static class GroupByLimit
{
    public const int Rows = 10_000_000;
    public const int Keys = 100_000;

    public static double Measure()
    {
        var rows = KeyedRows.Make(Rows, Keys, seed: 5);
        long checksum = 0;
        var seconds = SingleThreadLoop.BestSeconds(() => checksum = Sum(rows).Count);
        if (checksum != Keys)
        {
            throw new InvalidOperationException($"The group-by limit's loop found {checksum} keys instead of {Keys}: the loop is wrong.");
        }

        return SingleThreadLoop.TimesCores(Rows / seconds);
    }

    private static Dictionary<int, long> Sum(KeyedRow[] rows)
    {
        var sums = new Dictionary<int, long>();
        foreach (var row in rows)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(sums, row.Key, out _) += row.Value;
        }

        return sums;
    }
}
