using Grpc.Core;
using Microsoft.Extensions.Options;
using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Server.Hosting;

/// <summary>
/// <c>PlexusDashboard</c> (dashboard.proto): where the head serves its dashboard and the read-only
/// token that opens it, from <see cref="ControlServerOptions.DashboardPort"/> and
/// <see cref="ControlServerOptions.ReadOnlyToken"/>. Only the cluster token reaches it.
/// </summary>
internal sealed class DashboardAccessGrpcService(IOptions<ControlServerOptions> options) : Proto.PlexusDashboard.PlexusDashboardBase
{
    public override Task<Proto.GetDashboardAccessReply> GetDashboardAccess(Proto.GetDashboardAccessRequest request, ServerCallContext context) =>
        Task.FromResult(new Proto.GetDashboardAccessReply
        {
            Port = options.Value.DashboardPort,
            ReadOnlyToken = options.Value.ReadOnlyToken ?? string.Empty,
        });
}
