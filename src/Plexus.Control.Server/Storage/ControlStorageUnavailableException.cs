namespace Plexus.Control.Storage;

/// <summary>
/// The control service's storage cannot be reached or opened (a Redis server down, refusing the
/// password or not answering in time; a directory that cannot be created or written). The
/// message names the storage's address and what to check.
/// </summary>
internal sealed class ControlStorageUnavailableException : Exception
{
    public ControlStorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
