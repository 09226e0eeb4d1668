using System.Diagnostics;
using Plexus.Samples.Sort;

namespace Plexus.Benchmarks.Data;

/// <summary>
/// <c>limit_sort_gigabytes</c>: GB (1e9 bytes) per second of generating 256 MiB of gensort records
/// and sorting them (<see cref="PrefixRadixSort"/>) on one thread, times the cores, the way the
/// sort figure and Dask's <c>end_to_end_GBps</c> count: generate plus sort. The output is checked
/// with the Sort sample's validator after the timed runs.
/// </summary>
internal static class SortLimit
{
    public const long Bytes = 256L << 20;
    private const ulong Seed = 11;

    public static double Measure()
    {
        var records = (int)(Bytes / GensortRecord.Size);
        var input = GC.AllocateUninitializedArray<GensortRecord>(records);
        var output = GC.AllocateUninitializedArray<GensortRecord>(records);
        var sort = new PrefixRadixSort(records);
        var seconds = SingleThreadLoop.BestSeconds(() =>
        {
            GensortGenerator.Fill(0, input, Seed);
            sort.Sort(input, output);
        });

        Check(input, output);
        return SingleThreadLoop.TimesCores((double)records * GensortRecord.Size / seconds / 1e9);
    }

    private static void Check(GensortRecord[] input, GensortRecord[] output)
    {
        var validator = new SortValidator();
        validator.Add(output);
        var result = validator.Result;
        if (!result.IsSorted || result.Checksum != RecordChecksum.Of(input))
        {
            throw new UnreachableException($"The sort limit's sort is wrong: first unordered record {result.FirstUnorderedRecord}, checksum {result.Checksum} against {RecordChecksum.Of(input)}.");
        }
    }
}
