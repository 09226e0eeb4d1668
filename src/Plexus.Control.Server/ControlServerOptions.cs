using System.Net;
using Microsoft.Extensions.Logging;
using Plexus.Control.Service;
using Plexus.Control.Storage;

namespace Plexus.Control;

/// <summary>
/// Options of the control server: <see cref="ControlServer.StartAsync"/>, or
/// <c>AddPlexusControlServer</c> in an application's own host, which validates them when the
/// host starts (an <c>OptionsValidationException</c> naming the bad option).
/// </summary>
internal sealed class ControlServerOptions
{
    /// <summary>The TCP port to listen on, 0 to 65535. Default 0: the operating system picks a free port (see <see cref="ControlServer.Address"/>).</summary>
    public int Port { get; set; }

    /// <summary>The interface to listen on. Default <see cref="IPAddress.Loopback"/> (127.0.0.1): reachable from this machine only.</summary>
    public IPAddress ListenAddress { get; set; } = IPAddress.Loopback;

    /// <summary>
    /// The cluster's shared secret. Required: the default, empty, fails validation. Every call
    /// must carry it in the <c>plexus-token</c> metadata header; other calls fail with
    /// <c>Unauthenticated</c>.
    /// </summary>
    public string ClusterToken { get; set; } = string.Empty;

    /// <summary>
    /// The cluster's read-only token: calls carrying it in place of <see cref="ClusterToken"/> may
    /// read the state API (its queries) and nothing else; other calls with it fail with
    /// <c>PermissionDenied</c>, naming the read-only token. Default null: no read-only token.
    /// </summary>
    public string? ReadOnlyToken { get; set; }

    /// <summary>
    /// The port the head serves its dashboard on (<c>--dashboard-port</c>), which the service tells
    /// <c>plexus status</c> (<c>GetDashboardAccess</c>); the dashboard itself is served by
    /// <c>Plexus.Dashboard</c>, not by this server. Default 0: no dashboard.
    /// </summary>
    public int DashboardPort { get; set; }

    /// <summary>
    /// A node that sends no heartbeat for this long is marked DEAD and <see cref="ControlServer.NodeDied"/>
    /// is raised. Default 10 s. Must be longer than <see cref="HeartbeatInterval"/>.
    /// </summary>
    public TimeSpan HeartbeatTimeout { get; set; } = ControlServiceSettings.DefaultHeartbeatTimeout;

    /// <summary>How often nodes are told to heartbeat. Default 1 s. Must be positive.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = ControlServiceSettings.DefaultHeartbeatInterval;

    /// <summary>
    /// Where the service keeps its tables (nodes, jobs, actors and their names), for a restarted
    /// service to recover them. Default <c>memory</c>: kept as long as the service runs, and nodes
    /// register again with a restarted one. <c>file://DIR</c> or a plain directory path: one file per
    /// record under DIR/&lt;cluster id&gt; (created if absent), so a cluster with another token starts empty. <c>redis://host:port[/db]</c> (port 6379 and database 0
    /// by default): a hash per table in that Redis server, under keys named by the cluster id, with
    /// the password, if the server wants one, from the <c>PLEXUS_REDIS_PASSWORD</c> environment
    /// variable. Another value fails validation; a Redis server that cannot be reached within 5 s
    /// fails the start with an error naming it.
    /// </summary>
    public string Storage { get; set; } = ControlStorage.MemoryText;

    /// <summary>
    /// Where uploaded application packages are kept (created if absent). Default null: with file
    /// <see cref="Storage"/>, the <c>packages</c> folder beside the tables, so packages outlive the
    /// service as the tables do; otherwise a temporary directory, deleted when the server stops.
    /// </summary>
    public string? PackageDirectory { get; set; }

    /// <summary>
    /// How many finished jobs the job table remembers, in memory and in its store; beyond them
    /// the earliest finished are forgotten (<c>plexus status</c> no longer lists them). Running
    /// jobs are always kept. Default 1000; at least 1. Nodes learn that a job finished by polling
    /// the table every heartbeat, so keep it well above the number of jobs that finish within one
    /// heartbeat interval, or a node may miss a finish and keep that job's workers.
    /// </summary>
    public int FinishedJobsKept { get; set; } = ControlServiceSettings.DefaultFinishedJobsKept;

    /// <summary>
    /// How many dead actors the service remembers (with why they ended), the most recently ended
    /// first; older ones are forgotten, live actors never are. Default 10,000. Must be 0 or more.
    /// </summary>
    public int DeadActorHistory { get; set; } = ControlServiceSettings.DefaultDeadActorHistory;

    /// <summary>
    /// How many finished and failed tasks the state API's task table (in memory) remembers; beyond
    /// them the earliest finished are forgotten, tasks not ended never are. Default 100,000. Must be 0 or more.
    /// </summary>
    public int FinishedTasksKept { get; set; } = ControlServiceSettings.DefaultFinishedTasksKept;

    /// <summary>
    /// Where <see cref="ControlServer.StartAsync"/> logs. Default null: no logging at all. A host
    /// built with <c>AddPlexusControlServer</c> logs through its own logging instead.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal ControlServiceSettings ToServiceSettings() => new(HeartbeatInterval, HeartbeatTimeout)
    {
        PackageDirectory = PackageDirectory
            ?? (ControlStorage.TryParse(Storage, out var storage, out _) ? storage.DefaultPackageDirectory : null),
        FinishedJobsKept = FinishedJobsKept,
        DeadActorHistory = DeadActorHistory,
        JobOutputDirectory = ControlStorage.TryParse(Storage, out var durable, out _) ? durable.JobOutputDirectory(ClusterIds.Of(ClusterToken)) : null,
        // The head's service listens on the head node's address: that node runs submitted drivers.
        HeadHost = ListenAddress.Equals(IPAddress.Any) || ListenAddress.Equals(IPAddress.IPv6Any) ? null : ListenAddress.ToString(),
        FinishedTasksKept = FinishedTasksKept,
    };

    /// <summary>Copies what a host binds (everything but <see cref="LoggerFactory"/>) to <paramref name="target"/>.</summary>
    internal void CopyTo(ControlServerOptions target)
    {
        target.Port = Port;
        target.ListenAddress = ListenAddress;
        target.ClusterToken = ClusterToken;
        target.ReadOnlyToken = ReadOnlyToken;
        target.DashboardPort = DashboardPort;
        target.HeartbeatTimeout = HeartbeatTimeout;
        target.HeartbeatInterval = HeartbeatInterval;
        target.Storage = Storage;
        target.PackageDirectory = PackageDirectory;
        target.FinishedJobsKept = FinishedJobsKept;
        target.DeadActorHistory = DeadActorHistory;
        target.FinishedTasksKept = FinishedTasksKept;
    }
}
