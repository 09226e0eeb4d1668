using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Plexus.Control;

namespace Plexus.Dashboard.Api;

/// <summary>
/// <c>GET /api/objects</c>: each node's object store, used and capacity in bytes, as its latest
/// heartbeat carries them. (A listing of the objects themselves needs the state API to list
/// them; its page or panel is added beside this one.)
/// </summary>
internal static class ObjectsEndpoint
{
    private const string StoreResource = "object_store_memory";

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/objects", context => ApiResponses.JsonAsync(context, ReadAsync, DashboardJson.Default.ObjectStoresView));

    private static async Task<ObjectStoresView> ReadAsync(ClusterReader reader, HttpContext context)
    {
        var nodes = await reader.Control.ListNodesAsync(context.RequestAborted).ConfigureAwait(false);
        return new ObjectStoresView([.. nodes.Select(n => new StoreView(
            Convert.ToHexStringLower(n.NodeId), n.Address, n.State == NodeState.Alive ? "ALIVE" : "DEAD",
            (long)n.ResourceUsage.GetValueOrDefault(StoreResource), (long)n.Resources.GetValueOrDefault(StoreResource)))]);
    }
}

/// <summary>Every node's store.</summary>
internal sealed record ObjectStoresView(IReadOnlyList<StoreView> Nodes);

/// <summary>One node's store: bytes used of its capacity.</summary>
internal sealed record StoreView(string NodeId, string Address, string State, long UsedBytes, long CapacityBytes);
