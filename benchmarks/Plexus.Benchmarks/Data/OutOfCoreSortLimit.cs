using Plexus.Benchmarks.Limits;

namespace Plexus.Benchmarks.Data;

/// <summary>
/// The disk bound of the out-of-core sort, <c>limit_out_of_core_sort_gigabytes</c>: a sort of B
/// bytes that does not fit in memory writes and reads everything twice (runs spilled and read back,
/// the input read and the output written), so it takes at least 2B/W + 2B/R, with W and R the
/// disk's sequential write and read rates from <see cref="DiskLimit"/>, measured with as many bytes
/// as the sort moves (the page cache absorbs a share that depends on the size). The
/// <c>_synced_</c> variant takes the synced write and cold read rates: the device without the page cache.
/// </summary>
internal static class OutOfCoreSortLimit
{
    /// <summary>What the out-of-core sort figure sorts: 8 GiB, four times its 2 GiB store.</summary>
    public const long Bytes = 8L << 30;

    public sealed record Bounds(double Gigabytes, double SyncedGigabytes, DiskLimit.Figures Disk);

    public static Bounds Measure()
    {
        var disk = DiskLimit.Measure(Bytes);
        return new Bounds(Bound(disk.WriteGigabytes, disk.ReadGigabytes), Bound(disk.SyncedWriteGigabytes, disk.ColdReadGigabytes), disk);
    }

    // B / (2B/W + 2B/R), in the rates' unit.
    private static double Bound(double write, double read) => 1 / ((2 / write) + (2 / read));
}
