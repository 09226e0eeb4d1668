namespace Plexus.Control;

/// <summary>
/// A call to the control service failed: it could not be reached, did not answer within
/// <see cref="ControlClient.CallTimeout"/>, or failed the call. The message names the address
/// and the operation. The service may be restarting; callers can retry.
/// </summary>
internal class ControlServiceUnavailableException : Exception
{
    /// <summary>Creates the exception for <paramref name="operation"/> against <paramref name="address"/>.</summary>
    public ControlServiceUnavailableException(Uri address, string operation, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Address = address;
        Operation = operation;
    }

    /// <summary>The control service's address.</summary>
    public Uri Address { get; }

    /// <summary>The operation that failed, e.g. <c>Heartbeat</c>.</summary>
    public string Operation { get; }
}
