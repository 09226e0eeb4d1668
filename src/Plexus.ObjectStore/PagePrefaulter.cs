using System.Runtime.InteropServices;

namespace Plexus.ObjectStore;

/// <summary>
/// Faults in the pages of a shared mapping ahead of a large write. On tmpfs every first touch of a page is
/// a page fault that allocates and zeroes it; for a multi-megabyte object those faults, taken one by one
/// inside the copy loop, cost more than the copy itself.
/// </summary>
internal static unsafe partial class PagePrefaulter
{
    // madvise advice (Linux 5.14+): populate page tables writable, as if each page had been written.
    private const int MadvPopulateWrite = 23;

    // errno values (Linux, every architecture .NET runs on).
    private const int Efault = 14;
    private const int Enomem = 12;
    private const int Einval = 22;

    // False once madvise(MADV_POPULATE_WRITE) has proven unsupported (older kernel, no libc, not Linux);
    // from then on every call goes straight to touching pages. Races only cost one extra failed syscall.
    private static volatile bool _populateWriteSupported = OperatingSystem.IsLinux();

    /// <summary>True while the kernel call is believed to work; false once it failed as unsupported.</summary>
    internal static bool UsesPopulateWrite => _populateWriteSupported;

    /// <summary>
    /// Faults in every page overlapping [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>)
    /// of the mapping at <paramref name="basePointer"/>, for writing. The range must lie inside the mapping.
    /// </summary>
    /// <exception cref="ObjectStoreUnavailableException">The kernel reports it cannot back the pages (tmpfs full).</exception>
    public static void Prefault(byte* basePointer, long offset, long length)
    {
        long pageSize = Environment.SystemPageSize;
        var first = offset & ~(pageSize - 1);
        var end = offset + length;

        if (_populateWriteSupported && TryPopulateWrite(basePointer + first, end - first, offset, length))
        {
            return;
        }

        TouchPages(basePointer, offset, length);
    }

    /// <summary>The fallback: writes to one word of every page overlapping the range, without changing it.</summary>
    internal static void TouchPages(byte* basePointer, long offset, long length)
    {
        long pageSize = Environment.SystemPageSize;
        var end = offset + length;

        // An atomic add of zero is a write access (so the page is faulted in writable) that cannot lose a
        // concurrent write by another process to the same word, which a plain read-then-write could.
        // Page starts are 4-byte aligned, as the interlocked operation requires.
        for (var page = offset & ~(pageSize - 1); page < end; page += pageSize)
        {
            Interlocked.Add(ref *(int*)(basePointer + page), 0);
        }
    }

    private static bool TryPopulateWrite(byte* start, long byteCount, long offset, long length)
    {
        int result;
        try
        {
            // The kernel rounds the length up to whole pages; start is page-aligned because mappings are.
            result = Madvise(start, (nuint)byteCount, MadvPopulateWrite);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            _populateWriteSupported = false;
            return false;
        }

        if (result == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        switch (errno)
        {
            case Einval:
                // Kernels before 5.14 reject the unknown advice.
                _populateWriteSupported = false;
                return false;
            case Efault or Enomem:
                // Touching these pages would raise SIGBUS and kill the process; report it while we still can.
                throw new ObjectStoreUnavailableException(
                    $"Shared memory cannot back {length} bytes at arena offset {offset} (errno {errno}): " +
                    "the tmpfs holding the arena is full or over its size limit. Free objects, or enlarge " +
                    "the tmpfs (for example /dev/shm, or the container's shm size).");
            default:
                // Transient (a pending signal) or unexpected: touching still gets the pages in.
                return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(byte* address, nuint length, int advice);
}
