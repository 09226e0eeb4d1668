using Plexus.Samples.Sort;

namespace Plexus.Benchmarks.Data;

/// <summary>
/// A single-thread sort of gensort records for the sort limit: an LSD radix sort, one byte a pass,
/// of (key prefix, position) pairs, then one gather of the records into key order, then the rare
/// runs of equal 8-byte prefixes put in full-key order. Moving 16-byte pairs eight times and each
/// 100-byte record once is far less memory traffic than moving the records on every pass.
/// </summary>
internal sealed class PrefixRadixSort
{
    private const int Passes = sizeof(ulong);
    private const int Buckets = 256;

    // The pairs being sorted, and the other buffer each pass scatters into.
    private readonly Entry[] _entries;
    private readonly Entry[] _scratch;
    // Per pass, the count of each byte value, then where its first entry goes.
    private readonly int[] _offsets = new int[Passes * Buckets];

    public PrefixRadixSort(int capacity)
    {
        _entries = GC.AllocateUninitializedArray<Entry>(capacity);
        _scratch = GC.AllocateUninitializedArray<Entry>(capacity);
    }

    /// <summary>Writes <paramref name="input"/>'s records into <paramref name="output"/> in key order.</summary>
    public void Sort(ReadOnlySpan<GensortRecord> input, Span<GensortRecord> output)
    {
        var count = input.Length;
        Array.Clear(_offsets);
        for (var i = 0; i < count; i++)
        {
            var prefix = input[i].Key.NormalizedPrefix;
            _entries[i] = new Entry(prefix, i);
            for (var pass = 0; pass < Passes; pass++)
            {
                _offsets[(pass * Buckets) + ((int)(prefix >> (8 * pass)) & 0xFF)]++;
            }
        }

        var from = _entries;
        var to = _scratch;
        for (var pass = 0; pass < Passes; pass++)
        {
            var offsets = _offsets.AsSpan(pass * Buckets, Buckets);
            var next = 0;
            foreach (ref var offset in offsets)
            {
                (offset, next) = (next, next + offset);
            }

            var shift = 8 * pass;
            for (var i = 0; i < count; i++)
            {
                var entry = from[i];
                to[offsets[(int)(entry.Prefix >> shift) & 0xFF]++] = entry;
            }

            (from, to) = (to, from);
        }

        for (var i = 0; i < count; i++)
        {
            output[i] = input[from[i].Position];
        }

        OrderEqualPrefixes(output[..count], from);
    }

    // Records whose 8-byte prefixes are equal are ordered by the last two key bytes (insertion sort: such runs are a few records long).
    private static void OrderEqualPrefixes(Span<GensortRecord> records, Entry[] sorted)
    {
        for (var start = 0; start < records.Length;)
        {
            var end = start + 1;
            while (end < records.Length && sorted[end].Prefix == sorted[start].Prefix)
            {
                end++;
            }

            for (var i = start + 1; i < end; i++)
            {
                var record = records[i];
                var j = i - 1;
                for (; j >= start && records[j].Key.CompareTo(record.Key) > 0; j--)
                {
                    records[j + 1] = records[j];
                }

                records[j + 1] = record;
            }

            start = end;
        }
    }

    private readonly record struct Entry(ulong Prefix, int Position);
}
