using System.Text.Json;
using Plexus.Control.Submissions;

namespace Plexus.Control;

/// <summary>
/// What <c>plexus status</c> shows, in the shape <c>--json</c> prints (camelCase names; a script
/// can rely on them): the control address, every node and every job, and the dashboard's URL with
/// the read-only token (null when the head serves no dashboard). The tool and the cluster test
/// fixture read it alike (<see cref="ReadAsync"/>), so what the fixture sees is what the tool prints.
/// </summary>
internal sealed record StatusReport(string ControlAddress, IReadOnlyList<NodeStatus> Nodes, IReadOnlyList<JobStatus> Jobs, string? DashboardUrl = null)
{
    /// <summary>Asks the control service <paramref name="client"/> reaches for its nodes, jobs and dashboard.</summary>
    /// <param name="client">The control service's client.</param>
    /// <param name="controlAddress">The address to show for it, as the user gave it (<c>HOST:PORT</c>).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <exception cref="ControlServiceUnavailableException">The service did not answer.</exception>
    /// <exception cref="ClusterTokenRejectedException">The service refused the client's token.</exception>
    public static async Task<StatusReport> ReadAsync(ControlClient client, string controlAddress, CancellationToken cancellationToken)
    {
        var nodes = await client.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        var jobs = await client.ListJobsAsync(cancellationToken).ConfigureAwait(false);
        return From(controlAddress, nodes, jobs, await Control.DashboardUrl.ReadAsync(client, cancellationToken).ConfigureAwait(false));
    }

    public static StatusReport From(string controlAddress, IReadOnlyList<NodeInfo> nodes, IReadOnlyList<JobInfo> jobs, string? dashboardUrl = null) => new(
        controlAddress,
        nodes.Select(NodeStatus.From).ToList(),
        jobs.Select(JobStatus.From).ToList(),
        dashboardUrl);

    /// <summary>The document <c>plexus status --json</c> prints.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, StatusJson.Default.StatusReport);
}

/// <summary>
/// One node: <see cref="Resources"/> it offers, <see cref="Used"/> as of its latest heartbeat, and
/// its <see cref="Role"/>: <c>node</c>, or <c>driver</c> for the node a driver brought to a machine
/// without one (it offers no CPUs and runs no work).
/// </summary>
internal sealed record NodeStatus(
    string NodeId,
    string Address,
    string State,
    int Pid,
    IReadOnlyDictionary<string, double> Resources,
    IReadOnlyDictionary<string, double> Used,
    IReadOnlyList<string> Infeasible,
    long HeartbeatAgeMs,
    string Role = NodeStatus.NodeRole)
{
    public const string NodeRole = "node";
    public const string DriverRole = "driver";

    public static NodeStatus From(NodeInfo node) => new(
        Convert.ToHexStringLower(node.NodeId),
        node.Address,
        node.State.ToString().ToUpperInvariant(),
        node.Pid,
        // The driver's node marker says what the node is, not what it offers.
        node.Resources.Where(r => r.Key != DriverPlacement.DriverNodeMarker).ToDictionary(),
        node.ResourceUsage,
        node.Infeasible,
        (long)node.LastHeartbeatAge.TotalMilliseconds,
        node.Resources.ContainsKey(DriverPlacement.DriverNodeMarker) ? DriverRole : NodeRole);
}

/// <summary>One job; <see cref="EndUnixMs"/> is null while it runs.</summary>
internal sealed record JobStatus(string JobId, string State, string Entry, int DriverPid, long StartUnixMs, long? EndUnixMs)
{
    public static JobStatus From(JobInfo job) => new(
        Convert.ToHexStringLower(job.JobId),
        job.State.ToString().ToUpperInvariant(),
        job.Entry,
        job.DriverPid,
        job.StartTime.ToUnixTimeMilliseconds(),
        job.EndTime?.ToUnixTimeMilliseconds());
}
