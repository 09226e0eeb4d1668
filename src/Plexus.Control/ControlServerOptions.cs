using System.Net;
using Microsoft.Extensions.Logging;

namespace Plexus.Control;

/// <summary>Options of <see cref="ControlServer.StartAsync"/>.</summary>
public sealed class ControlServerOptions
{
    /// <summary>The TCP port to listen on. Default 0: the operating system picks a free port (see <see cref="ControlServer.Address"/>).</summary>
    public int Port { get; set; }

    /// <summary>The interface to listen on. Default <see cref="IPAddress.Loopback"/> (127.0.0.1): reachable from this machine only.</summary>
    public IPAddress ListenAddress { get; set; } = IPAddress.Loopback;

    /// <summary>
    /// The cluster's shared secret. Required, not empty. Every call must carry it in the
    /// <c>plexus-token</c> metadata header; other calls fail with <c>Unauthenticated</c>.
    /// </summary>
    public required string ClusterToken { get; set; }

    /// <summary>
    /// A node that sends no heartbeat for this long is marked DEAD and <see cref="ControlServer.NodeDied"/>
    /// is raised. Default 10 s. Must be longer than <see cref="HeartbeatInterval"/>.
    /// </summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often nodes are told to heartbeat. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Where the service logs. Default null: no logging at all.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(ClusterToken, nameof(ClusterToken));
        ArgumentNullException.ThrowIfNull(ListenAddress, nameof(ListenAddress));
        ArgumentOutOfRangeException.ThrowIfLessThan(Port, IPEndPoint.MinPort, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, IPEndPoint.MaxPort, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatTimeout, HeartbeatInterval, nameof(HeartbeatTimeout));
    }
}
