namespace Plexus.Control;

/// <summary>
/// The control service refused a call made with the cluster's read-only token: that token reads
/// the state API, nodes and jobs (<c>plexus list</c>, <c>summary</c>, <c>timeline</c>) and opens the dashboard, and
/// nothing else. Retrying does not help: use the cluster token (the head's <c>&lt;temp-dir&gt;/token</c>).
/// </summary>
internal sealed class ReadOnlyTokenRefusedException : ControlServiceUnavailableException
{
    /// <summary>The gRPC trailer with which the service marks a refusal of the read-only token, telling it apart from other refusals.</summary>
    public const string RefusalTrailer = "plexus-refused";

    /// <summary>The value of <see cref="RefusalTrailer"/> for the read-only token.</summary>
    public const string ReadOnlyToken = "read-only-token";

    /// <summary>Creates the exception for <paramref name="operation"/> against <paramref name="address"/>.</summary>
    public ReadOnlyTokenRefusedException(Uri address, string operation, Exception? innerException = null)
        : base(
            address,
            operation,
            $"The control service at {address} refused {operation}: it was called with the read-only token, which only reads the " +
            "state API, nodes and jobs and opens the dashboard. Use the cluster token (the head's <temp-dir>/token) for this.",
            innerException)
    {
    }
}
