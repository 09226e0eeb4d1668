using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Plexus.Control;

namespace Plexus.Dashboard.Api;

/// <summary>
/// <c>GET /api/overview</c>: the cluster at a glance: every node with what it offers and what its
/// latest heartbeat says is in use (CPUs, store bytes, other resources), the work no node can run,
/// and counts of jobs and of tasks by state.
/// </summary>
internal static class OverviewEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/overview", context => ApiResponses.JsonAsync(context, ReadAsync, DashboardJson.Default.OverviewView));

    private static async Task<OverviewView> ReadAsync(ClusterReader reader, HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var nodes = await reader.Control.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        var jobs = await reader.Control.ListJobsAsync(cancellationToken).ConfigureAwait(false);
        var functions = await reader.State.SummarizeTasksAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var tasks = functions.SelectMany(f => f.Counts)
            .GroupBy(c => c.Key.ToString(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(c => c.Value), StringComparer.Ordinal);
        return new OverviewView(
            nodes.Count(n => n.State == NodeState.Alive),
            nodes.Count(n => n.State != NodeState.Alive),
            jobs.Count(j => j.State == JobState.Running),
            jobs.Count(j => j.State != JobState.Running),
            tasks,
            [.. nodes.Select(NodeView.From)]);
    }
}

/// <summary>The overview: node and job counts, tasks by state (over the task table's history), and each node.</summary>
internal sealed record OverviewView(
    int AliveNodes, int DeadNodes, int RunningJobs, int FinishedJobs, IReadOnlyDictionary<string, long> Tasks, IReadOnlyList<NodeView> Nodes);

/// <summary>One node: each resource it offers with how much its latest heartbeat says is in use (store bytes under <c>object_store_memory</c>).</summary>
internal sealed record NodeView(
    string NodeId, string Address, string State, int Pid, long HeartbeatAgeMs, IReadOnlyList<ResourceView> Resources,
    IReadOnlyList<string> Infeasible, string? DeathReason)
{
    public static NodeView From(NodeInfo node) => new(
        Convert.ToHexStringLower(node.NodeId),
        node.Address,
        node.State == NodeState.Alive ? "ALIVE" : "DEAD",
        node.Pid,
        (long)node.LastHeartbeatAge.TotalMilliseconds,
        [.. node.Resources.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new ResourceView(r.Key, node.ResourceUsage.GetValueOrDefault(r.Key), r.Value))],
        node.Infeasible,
        node.DeathReason);
}

/// <summary>A resource of a node: <paramref name="Used"/> of <paramref name="Total"/>.</summary>
internal sealed record ResourceView(string Name, double Used, double Total);
