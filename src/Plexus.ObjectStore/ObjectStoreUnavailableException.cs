namespace Plexus.ObjectStore;

/// <summary>
/// Thrown when the node's shared-memory object store cannot be created or mapped: the backing directory
/// is missing or not writable, the requested capacity is too small, or another process's arena cannot be
/// opened (it exited, or this process lacks permission to read its <c>/proc/{pid}/fd</c> entry).
/// </summary>
/// <remarks>
/// The message names the path and the cause. The usual fixes are pointing the store at a writable
/// tmpfs directory (default <c>/dev/shm</c>), raising the capacity, or running every process on the
/// node as the same user.
/// </remarks>
internal sealed class ObjectStoreUnavailableException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public ObjectStoreUnavailableException()
        : base("The shared-memory object store is unavailable.")
    {
    }

    /// <summary>Creates the exception with a message describing what failed and how to fix it.</summary>
    public ObjectStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying I/O or permission failure.</summary>
    public ObjectStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
