namespace Plexus.ObjectStore.Tests;

/// <summary>A directory of its own for one test, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        // Prefer tmpfs, which is what the store runs on; fall back to the temp dir where /dev/shm is absent.
        var root = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        Path = System.IO.Path.Combine(root, $"plexus-objectstore-tests-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
