namespace Plexus.Control;

/// <summary>
/// The control service refused a call because it carried no cluster token or a different one.
/// Retrying does not help: use the token the head node was started with.
/// </summary>
internal sealed class ClusterTokenRejectedException : ControlServiceUnavailableException
{
    /// <summary>Creates the exception for <paramref name="operation"/> against <paramref name="address"/>.</summary>
    public ClusterTokenRejectedException(Uri address, string operation, Exception? innerException = null)
        : base(
            address,
            operation,
            $"The control service at {address} rejected {operation}: the cluster token is missing or wrong. " +
            "Use the cluster token the head node was started with.",
            innerException)
    {
    }
}
