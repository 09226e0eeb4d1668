namespace Plexus.Serialization;

/// <summary>
/// The job a value being encoded on this thread goes to, when it is not the job of the code
/// running (the arguments of a call to another job's actor): refs and handles of the running
/// code's job that it contains are written with their tags (see <c>CoreRuntime.TagToWrite</c>).
/// </summary>
internal static class EncodingDestination
{
    [ThreadStatic]
    private static JobId? _job;

    /// <summary>The destination job set on this thread, or null: the running code's own.</summary>
    public static JobId? Job => _job;

    /// <summary>Encodes for <paramref name="job"/> until the scope is disposed (scopes nest).</summary>
    public static Scope Enter(JobId job)
    {
        var previous = _job;
        _job = job;
        return new Scope(previous);
    }

    /// <summary>Restores the destination that was set before.</summary>
    public readonly struct Scope(JobId? previous) : IDisposable
    {
        public void Dispose() => _job = previous;
    }
}
