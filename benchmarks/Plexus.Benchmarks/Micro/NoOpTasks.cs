namespace Plexus.Benchmarks.Micro;

/// <summary>Task functions of the micro suite. Static, so workers find them by metadata token.</summary>
internal static class NoOpTasks
{
    /// <summary>Does nothing: the figure is the runtime's overhead per task.</summary>
    public static int Run() => 0;

    /// <summary>
    /// A client running on a worker: submits <paramref name="count"/> no-op tasks through the
    /// worker's runtime, awaits them all, and returns how many finished.
    /// </summary>
    public static async Task<int> SubmitAndAwait(int count)
    {
        var plexus = PlexusRuntime.Current;
        var noOp = plexus.Task<int>(Run);
        var refs = new ObjectRef<int>[count];
        for (var i = 0; i < count; i++)
        {
            refs[i] = noOp.Remote();
        }

        foreach (var reference in refs)
        {
            await reference;
            reference.Dispose();
        }

        return count;
    }
}
