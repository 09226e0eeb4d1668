using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Plexus.Control;

namespace Plexus.Dashboard.Api;

/// <summary>
/// <c>GET /api/objects?job=J&amp;node=N&amp;limit=L</c>: each node's object store (bytes used of
/// capacity, as its latest heartbeat carries them) and the objects the nodes report, largest first,
/// of job <c>J</c> and on node <c>N</c> (hex) when given, at most <c>L</c> (1 to 10 000, default
/// 200), as <c>plexus list objects</c> lists them, with how many match in all. With <c>held=true</c>
/// also the objects processes hold in their own memory (<c>plexus list objects --all</c>) and the nodes
/// that did not answer.
/// </summary>
internal static class ObjectsEndpoint
{
    private const string StoreResource = "object_store_memory";
    private const int DefaultLimit = 200;
    private const int MaxLimit = 10_000;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/objects", context => ApiResponses.JsonAsync(context, ReadAsync, DashboardJson.Default.ObjectsView));

    /// <exception cref="ArgumentException">A malformed job or node id, limit or held; the message names it.</exception>
    private static async Task<ObjectsView> ReadAsync(ClusterReader reader, HttpContext context)
    {
        var limit = ApiResponses.Query(context, "limit");
        var listing = await reader.State.ListObjectsAsync(
            ApiResponses.Query(context, "job"),
            ApiResponses.Query(context, "node"),
            limit is null ? DefaultLimit
                : int.TryParse(limit, out var n) && n is >= 1 and <= MaxLimit ? n
                : throw new ArgumentException($"limit '{limit}' is not a number from 1 to {MaxLimit}."),
            ApiResponses.IncludeHeld(context),
            cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var nodes = await reader.Control.ListNodesAsync(context.RequestAborted).ConfigureAwait(false);
        return new ObjectsView(
            [.. nodes.Select(n => new StoreView(
                Convert.ToHexStringLower(n.NodeId), n.Address, n.State == NodeState.Alive ? "ALIVE" : "DEAD",
                (long)n.ResourceUsage.GetValueOrDefault(StoreResource), (long)n.Resources.GetValueOrDefault(StoreResource)))],
            listing.Objects,
            listing.Total,
            listing.Processes,
            listing.SilentNodes);
    }
}

/// <summary>
/// Every node's store, and the objects listed with how many match in all (listed or not); with held
/// objects, each process asked (which tells a driver from a worker) and the alive nodes (hex) that did
/// not answer in time (both empty otherwise).
/// </summary>
internal sealed record ObjectsView(
    IReadOnlyList<StoreView> Nodes, IReadOnlyList<ObjectEntry> Objects, long Total, IReadOnlyList<ProcessObjects> Processes, IReadOnlyList<string> SilentNodes);

/// <summary>One node's store: bytes used of its capacity.</summary>
internal sealed record StoreView(string NodeId, string Address, string State, long UsedBytes, long CapacityBytes);
