using Microsoft.AspNetCore.Routing;
using Plexus.Control.Server.Hosting;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Plexus control service's gRPC endpoints.</summary>
internal static class PlexusControlServerEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the control service added by <c>AddPlexusControlServer</c>. Its calls are answered on
    /// every endpoint of the host that speaks HTTP/2, and each must carry the cluster token.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>AddPlexusControlServer</c> was not called on the host's services.</exception>
    public static GrpcServiceEndpointConventionBuilder MapPlexusControlServer(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGrpcService<ControlGrpcService>();
    }
}
