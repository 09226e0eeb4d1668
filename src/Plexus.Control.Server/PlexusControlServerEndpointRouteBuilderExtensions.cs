using Microsoft.AspNetCore.Routing;
using Plexus.Control.Server.Hosting;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Plexus control service's gRPC endpoints.</summary>
internal static class PlexusControlServerEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the control service added by <c>AddPlexusControlServer</c>, with its jobs service
    /// (<c>PlexusJobs</c>: jobs submitted to the cluster) beside it. Their calls are answered on
    /// every endpoint of the host that speaks HTTP/2; put <c>UseClusterToken()</c> before it, so
    /// each must carry the cluster token.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>AddPlexusControlServer</c> was not called on the host's services.</exception>
    public static GrpcServiceEndpointConventionBuilder MapPlexusControlServer(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGrpcService<JobsGrpcService>();
        // The state API (state.proto) is served beside the control service, on the same endpoints and token.
        endpoints.MapGrpcService<StateGrpcService>();
        // Where the head's dashboard is (dashboard.proto), for `plexus status`.
        endpoints.MapGrpcService<DashboardAccessGrpcService>();
        return endpoints.MapGrpcService<ControlGrpcService>();
    }

    /// <summary>Refuses every request without the cluster token before it is routed or read (<see cref="ClusterTokenMiddleware"/>).</summary>
    public static IApplicationBuilder UseClusterToken(this IApplicationBuilder app) => app.UseMiddleware<ClusterTokenMiddleware>();
}
