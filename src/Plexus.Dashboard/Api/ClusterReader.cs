using Plexus.Control;
using Plexus.Control.Service;

namespace Plexus.Dashboard.Api;

/// <summary>
/// What the dashboard reads, in-process: the control service through
/// <see cref="InProcessControlClient"/> (nodes, jobs, submissions and their output) and
/// <see cref="ClusterState"/> over it (the state API's task table, actors and timelines, as
/// <c>plexus list</c> gets them, typed). Nothing here crosses a socket or needs a token.
/// </summary>
internal sealed class ClusterReader
{
    private ClusterReader(ControlService service)
    {
        Control = new InProcessControlClient(service);
        State = new ClusterState(Control);
    }

    /// <summary>The control service's requests and answers, by method call. It owns nothing: the service outlives it.</summary>
    public IControlClient Control { get; }

    /// <summary>The state API's typed client over <see cref="Control"/>.</summary>
    public ClusterState State { get; }

    /// <summary>
    /// The reader of the service <paramref name="service"/> gives once it serves: the dashboard
    /// binds its port before the control service starts (see <see cref="DashboardServer"/>), and a
    /// request that comes between waits for it.
    /// </summary>
    public static async Task<ClusterReader> OnceServingAsync(Task<ControlService> service) => new(await service.ConfigureAwait(false));
}
