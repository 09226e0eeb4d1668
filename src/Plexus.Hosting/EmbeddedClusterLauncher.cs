using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
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
        var clusterToken = Guid.NewGuid().ToString("N");
        Func<WorkerLaunchContext, ProcessStartInfo> launch = options.WorkerLaunchFault is { } fault
            ? context => fault(context.Process, WithLogging(launcher.Create(context), options))
            : context => WithLogging(launcher.Create(context), options);
        var builder = PlexusHostingExtensions.CreateQuietBuilder(loggerFactory);
        builder.Services.AddPlexusNode(node => Configure(node, options, clusterToken), new WorkerPoolPlan(launch, options.StartTimeout));
        var host = builder.Build();
        // The driver compiles its codecs while the workers start, which takes longer.
        var warmup = Task.Run(Warmup.Run, cancellationToken);
        NodeDaemon node;
        EmbeddedControlPlane control;
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            await warmup.ConfigureAwait(false);
            node = host.Services.GetRequiredService<NodeService>().Node;
            control = await EmbeddedControlPlane.StartAsync(node.NodeId, node.SocketName, options.Cpus, job, options.Namespace, loggerFactory, cancellationToken)
                .ConfigureAwait(false);
            control.ReportTaskEventsOf(node, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<TaskEventShipper>());
        }
        catch
        {
            await StopAsync(host).ConfigureAwait(false);
            throw;
        }

        CoreRuntime? core = null;
        var send = node.AttachDriver(message => core!.Deliver(message), job);
        core = new CoreRuntime(job, new ProcessAddress(node.NodeId, ProcessAddress.DriverProcess), options.InlineThreshold, send,
            (_, sendToNode) => new DirectStoreAccess(node, sendToNode), node.Capabilities)
        {
            RecordCallSites = options.RecordCallSites,
            MaxLineageBytes = options.MaxLineageBytes,
            Namespace = options.Namespace,
        };
        core.UseDriverLogging(loggerFactory, options.TaskLogLevel);
        return (core, new EmbeddedCluster(core, host, node, control));
    }

    /// <summary>Stops a host and everything it started (the node stops its workers and frees the store).</summary>
    public static async Task StopAsync(IHost host)
    {
        await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        host.Dispose();
    }

    // Workers write their log files where the program asks (none by default), and task log entries from its level up.
    private static ProcessStartInfo WithLogging(ProcessStartInfo start, PlexusOptions options)
    {
        if (options.LogDirectory is { Length: > 0 } directory)
        {
            start.Environment[Worker.WorkerLogging.DirectoryVariable] = Path.GetFullPath(directory);
        }

        start.Environment[Worker.WorkerLogging.LevelVariable] = options.TaskLogLevel.ToString();
        return start;
    }

    private static void Configure(NodeOptions node, PlexusOptions options, string clusterToken)
    {
        node.Cpus = options.Cpus;
        node.WorkerCount = options.WorkerCount;
        node.PipelineDepth = options.PipelineDepth;
        node.WorkerIdleTimeout = options.WorkerIdleTimeout;
        node.StoreCapacity = options.StoreCapacity ?? NodeOptions.DefaultStoreCapacity();
        node.SpillDirectory = options.SpillDirectory;
        node.SpillEnabled = options.SpillEnabled;
        node.ClusterToken = clusterToken;
        node.Telemetry = options.Telemetry;
        if (options.StoreFullTimeout is { } storeFullTimeout)
        {
            node.CreateTimeout = storeFullTimeout;
        }
    }

    public override async Task<(RuntimeCore Runtime, ClusterConnection Cluster)> ConnectAsync(
        ClusterAddress address, PlexusOptions options, CancellationToken cancellationToken)
    {
        var attached = await AttachedDriver.ConnectAsync(address, options.InlineThreshold, options.RecordCallSites, cancellationToken).ConfigureAwait(false);
        attached.Runtime.MaxLineageBytes = options.MaxLineageBytes;
        attached.Runtime.Namespace = options.Namespace;
        attached.Runtime.UseDriverLogging(program: null, options.TaskLogLevel);
        return (attached.Runtime, attached);
    }

    public override Task<(RuntimeCore Runtime, ClusterConnection Cluster)> JoinAsync(
        Uri head, PlexusOptions options, ILoggerFactory? loggerFactory, CancellationToken cancellationToken) =>
        Cluster.ClusterDriver.JoinAsync(head, options, loggerFactory, cancellationToken);
}
