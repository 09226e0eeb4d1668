using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Plexus.Benchmarks.Limits;

/// <summary>
/// Sequential file bandwidth of the temp directory's disk, written and read the way the store
/// spills and restores (one preallocated file, large positioned writes, no fsync, then read back):
/// the most spilling and restoring can reach. The same file is also synced and read cold, for
/// what the device itself does once the page cache is out of the picture. Measured right before
/// the spilling it bounds, with as many bytes: how much the page cache absorbs depends on how
/// much memory the store and the rest of the run hold, so figures taken at another moment of the
/// run differ by up to 20x on this machine.
/// </summary>
internal static partial class DiskLimit
{
    private const int Chunk = 64 << 20;
    private const int FadviseDontNeed = 4;

    public sealed record Figures(double WriteGigabytes, double ReadGigabytes, double SyncedWriteGigabytes, double ColdReadGigabytes);

    public static Figures Measure(long bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"plexus-disk-limit-{Guid.NewGuid():N}");
        var buffer = GC.AllocateUninitializedArray<byte>(Chunk, pinned: true);
        new Random(1).NextBytes(buffer);
        try
        {
            using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.None, bytes);
            var write = Stopwatch.StartNew();
            for (long at = 0; at < bytes; at += Chunk)
            {
                RandomAccess.Write(handle, buffer, at);
            }

            var written = write.Elapsed.TotalSeconds;
            RandomAccess.FlushToDisk(handle);
            var synced = write.Elapsed.TotalSeconds;

            var read = ReadAll(handle, buffer, bytes);
            _ = PosixFadvise(handle.DangerousGetHandle().ToInt32(), 0, 0, FadviseDontNeed);
            var cold = ReadAll(handle, buffer, bytes);
            return new Figures(bytes / written / 1e9, bytes / read / 1e9, bytes / synced / 1e9, bytes / cold / 1e9);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double ReadAll(Microsoft.Win32.SafeHandles.SafeFileHandle handle, byte[] buffer, long bytes)
    {
        var clock = Stopwatch.StartNew();
        for (long at = 0; at < bytes;)
        {
            var read = RandomAccess.Read(handle, buffer, at);
            if (read == 0)
            {
                throw new EndOfStreamException("The disk limit's file ended early.");
            }

            at += read;
        }

        return clock.Elapsed.TotalSeconds;
    }

    // Drops the file's pages from the page cache (they are clean after the sync), so the next read hits the device.
    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int PosixFadvise(int fd, long offset, long length, int advice);
}
