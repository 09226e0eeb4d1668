namespace Plexus.Dashboard;

/// <summary>
/// The dashboard could not listen on its address and port: another program (often another head)
/// holds the port. Start the head with another <c>--dashboard-port</c>, or 0 for no dashboard.
/// </summary>
internal sealed class DashboardPortUnavailableException : IOException
{
    /// <summary>Creates the exception for <paramref name="endpoint"/> (<c>host:port</c>).</summary>
    public DashboardPortUnavailableException(string endpoint, Exception innerException)
        : base(
            $"The dashboard cannot listen on {endpoint}: {innerException.Message} " +
            "Is another head running? Choose another --dashboard-port, or --dashboard-port 0 for no dashboard.",
            innerException) =>
        Endpoint = endpoint;

    /// <summary>The address and port that could not be bound.</summary>
    public string Endpoint { get; }
}
