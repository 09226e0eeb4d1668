using System.Diagnostics;

namespace Plexus.Testing;

/// <summary>
/// A new, empty directory for one test (a unique name under a root), deleted with everything in it
/// on <see cref="Dispose"/>: put it in a <c>using</c> so it goes even when the test fails.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    // Deleting can race with a process that is still exiting and writes as it goes (a worker's
    // spill, a driver's last file): recursive deletion then finds a directory no longer empty.
    // Dispose tries again for this long before it gives up.
    private static readonly TimeSpan DeleteDeadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DeleteRetryPause = TimeSpan.FromMilliseconds(50);

    /// <summary>Creates a directory under the system's temp folder (<see cref="System.IO.Path.GetTempPath"/>).</summary>
    /// <exception cref="IOException">The directory could not be created.</exception>
    public TempDirectory()
        : this(System.IO.Path.GetTempPath())
    {
    }

    /// <summary>Creates a directory under <paramref name="root"/>, which must exist.</summary>
    /// <exception cref="IOException">The directory could not be created.</exception>
    public TempDirectory(string root)
    {
        Path = System.IO.Path.Combine(root, $"plexus-tests-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>
    /// Creates a directory on tmpfs (<c>/dev/shm</c>), where the object store keeps its memory, or
    /// under the system's temp folder where there is no <c>/dev/shm</c>.
    /// </summary>
    /// <exception cref="IOException">The directory could not be created.</exception>
    public static TempDirectory InSharedMemory() =>
        new(Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath());

    /// <summary>The path of <paramref name="relative"/> inside this directory, with its parent directories created; the file itself is not.</summary>
    public string File(string relative)
    {
        var path = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>
    /// Deletes the directory and everything in it, also files that are still open (as Linux allows)
    /// and a directory the test deleted already. Never throws: it runs while a failed test unwinds,
    /// and an exception here would replace the test's own. A directory it may not delete, or that
    /// something keeps writing into for 10 s, is left behind and named on standard error.
    /// </summary>
    public void Dispose()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                Directory.Delete(Path, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (e is UnauthorizedAccessException || clock.Elapsed >= DeleteDeadline)
                {
                    Console.Error.WriteLine($"Could not delete the test directory {Path}, left behind: {e.Message}");
                    return;
                }
            }

            // A pause between attempts, not a wait for readiness: the writer racing the delete is
            // not under this class's control.
            Thread.Sleep(DeleteRetryPause);
        }
    }
}
