using System.Runtime.InteropServices;

namespace Plexus.Data.Files;

/// <summary>
/// Makes renames into a directory durable: a renamed file's bytes can be on disk while the
/// directory entry naming it is not, until the directory itself is synced. .NET cannot open a
/// directory as a file, so this calls the C library; on Windows it does nothing, because NTFS
/// journals renames.
/// </summary>
internal static partial class DirectoryDurability
{
    private const int OpenReadOnly = 0;

    /// <exception cref="IOException">The directory could not be opened or synced; the message names it and the system's error.</exception>
    public static void Sync(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var descriptor = Open(directory, OpenReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"Cannot open the directory {directory} to sync its entries to disk: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"Cannot sync the entries of the directory {directory} to disk: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
