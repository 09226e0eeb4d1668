using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Plexus.Binding;
using Plexus.Core;
using Plexus.Node;

namespace Plexus.Hosting;

/// <summary>
/// Starts the embedded cluster a driver runs in its own process (control plane, node daemon,
/// store and worker pool), or joins a running one. The API assembly finds this class by name.
/// </summary>
internal sealed class EmbeddedClusterLauncher : ClusterLauncher
{
    public override async Task<(RuntimeCore Runtime, ClusterConnection Cluster)> StartLocalAsync(
        PlexusOptions options, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var job = JobId.NewRandom();
        var launcher = new WorkerLauncher(job, options.InlineThreshold, options.RecordCallSites);
        var nodeOptions = new NodeOptions
        {
            Cpus = options.Cpus,
            WorkerCount = options.WorkerCount,
            PipelineDepth = options.PipelineDepth,
            StoreCapacity = options.StoreCapacity ?? NodeOptions.DefaultStoreCapacity(),
            SpillDirectory = options.SpillDirectory,
            SpillEnabled = options.SpillEnabled,
        };
        if (options.StoreFullTimeout is { } storeFullTimeout)
        {
            nodeOptions.CreateTimeout = storeFullTimeout;
        }

        Func<WorkerLaunchContext, ProcessStartInfo> launch = options.WorkerLaunchFault is { } fault
            ? context => fault(context.Process, launcher.Create(context))
            : launcher.Create;
        // The driver compiles its codecs while the workers start, which takes longer.
        var warmup = Task.Run(Warmup.Run, cancellationToken);
        var node = await NodeDaemon.StartAsync(nodeOptions, launch, options.StartTimeout, loggerFactory, cancellationToken).ConfigureAwait(false);
        await warmup.ConfigureAwait(false);
        EmbeddedControlPlane control;
        try
        {
            control = await EmbeddedControlPlane.StartAsync(node.NodeId, node.SocketName, options.Cpus, job, nodeOptions.ClusterToken, loggerFactory, cancellationToken)
                .ConfigureAwait(false);
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        CoreRuntime? core = null;
        var send = node.AttachDriver(message => core!.Deliver(message));
        core = new CoreRuntime(job, new ProcessAddress(node.NodeId, ProcessAddress.DriverProcess), options.InlineThreshold, send,
            (_, sendToNode) => new DirectStoreAccess(node, sendToNode))
        {
            RecordCallSites = options.RecordCallSites,
        };
        return (core, new EmbeddedCluster(core, node, control));
    }

    public override async Task<(RuntimeCore Runtime, ClusterConnection Cluster)> ConnectAsync(
        ClusterAddress address, PlexusOptions options, CancellationToken cancellationToken)
    {
        var attached = await AttachedDriver.ConnectAsync(address, options.InlineThreshold, options.RecordCallSites, cancellationToken).ConfigureAwait(false);
        return (attached.Runtime, attached);
    }
}
