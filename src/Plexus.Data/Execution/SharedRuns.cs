namespace Plexus.Data.Execution;

/// <summary>
/// Runs several tasks read (a partition a join's reduces copy rows of hot keys from): each reader
/// holds this and disposes it once, when done or never submitted, and the last frees the runs.
/// </summary>
internal sealed class SharedRuns(ObjectRef[] runs, int readers) : IDisposable
{
    // Readers not yet done; the runs are freed when it reaches zero.
    private int readers = readers;

    public void Dispose()
    {
        if (Interlocked.Decrement(ref readers) == 0)
        {
            PlexusRuntime.Free(runs);
        }
    }
}
