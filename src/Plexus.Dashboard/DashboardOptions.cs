using System.Net;

namespace Plexus.Dashboard;

/// <summary>Options of the head's dashboard (<see cref="DashboardServer.StartAsync"/>).</summary>
internal sealed class DashboardOptions
{
    /// <summary>The default port of a head's dashboard (<c>--dashboard-port</c>), as Ray's.</summary>
    public const int DefaultPort = 8265;

    /// <summary>The interface to listen on: the head node's address, like its control service. Default <see cref="IPAddress.Loopback"/>.</summary>
    public IPAddress ListenAddress { get; set; } = IPAddress.Loopback;

    /// <summary>The TCP port, 0 to 65535. Default 0: the operating system picks a free one (see <see cref="DashboardServer.Address"/>).</summary>
    public int Port { get; set; }

    /// <summary>The cluster's token, which opens the dashboard. Required.</summary>
    public string ClusterToken { get; set; } = string.Empty;

    /// <summary>The cluster's read-only token, which opens the dashboard too (and reads the state API, nothing else). Default null: none.</summary>
    public string? ReadOnlyToken { get; set; }
}
