using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Plexus.Control;

namespace Plexus.Dashboard.Api;

/// <summary>
/// <c>GET /api/actors?state=S&amp;job=J</c>: the actor table's actors (named and restartable ones:
/// the head hears of no others), live ones first, at most 1000, as <c>plexus list actors</c>.
/// </summary>
internal static class ActorsEndpoint
{
    private const int Limit = 1000;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/actors", context => ApiResponses.JsonAsync(context, ReadAsync, DashboardJson.Default.ActorsView));

    private static async Task<ActorsView> ReadAsync(ClusterReader reader, HttpContext context) =>
        new(await reader.State.ListActorsAsync(
            ApiResponses.Query(context, "state"), ApiResponses.Query(context, "job"), limit: Limit, cancellationToken: context.RequestAborted).ConfigureAwait(false));
}

/// <summary>The actors listed.</summary>
internal sealed record ActorsView(IReadOnlyList<ActorEntry> Actors);
