using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Control;
using Plexus.Control.Service;
using Plexus.Control.Storage;
using Plexus.Node;

namespace Plexus.Hosting;

/// <summary>
/// The control service an embedded cluster runs in the driver's process, called directly (no
/// network server: the gRPC server is the head node's), with this node registered and
/// heartbeating and this program registered as a job. Stopped with the runtime.
/// </summary>
internal sealed class EmbeddedControlPlane : IAsyncDisposable
{
    private readonly ControlService _service;
    private readonly IControlClient _client;
    private readonly byte[] _nodeId;
    private readonly byte[] _jobId;
    private readonly CancellationTokenSource _stopHeartbeats = new();
    private readonly Task _heartbeats;
    // Reports the node's task events and workers to the in-process state API, once the node is attached.
    private TaskEventShipper? _taskEvents;
    // Answers the in-process state API's requests of the node (what its processes hold), once it is attached.
    private NodeRequestServer? _requests;

    private EmbeddedControlPlane(ControlService service, IControlClient client, byte[] nodeId, byte[] jobId)
    {
        _service = service;
        _client = client;
        _nodeId = nodeId;
        _jobId = jobId;
        _heartbeats = client.RunHeartbeatLoopAsync(nodeId, resourceUsage: null, _stopHeartbeats.Token);
    }

    /// <summary>The control service itself, for in-process readers of its tables (the state API).</summary>
    internal ControlService Service => _service;

    /// <summary>Reports <paramref name="node"/>'s task events and workers to the service about once a second, until disposed.</summary>
    public void ReportTaskEventsOf(NodeDaemon node, ILogger logger)
    {
        _taskEvents ??= new TaskEventShipper(node, _client.ReportTaskEventsAsync, TaskEventShipper.DefaultInterval, TimeProvider.System, logger);
        // Its workers write no log files here: only the held objects are asked of it.
        _requests ??= new NodeRequestServer(_client, _nodeId, logs: null, node, logger);
    }

    /// <summary>The control service, called in-process.</summary>
    public IControlClient Client => _client;

    public static async Task<EmbeddedControlPlane> StartAsync(
        ulong nodeId, string nodeSocket, int cpus, JobId job, string? @namespace, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var service = new ControlService(ControlServiceSettings.Default, new InMemoryControlStore(), TimeProvider.System, loggerFactory ?? NullLoggerFactory.Instance);
        var client = new InProcessControlClient(service);
        try
        {
            var nodeBytes = ControlIds.Node(nodeId);
            var jobBytes = ControlIds.Job(job);
            var resources = new Dictionary<string, double> { ["CPU"] = cpus };
            await service.StartAsync(cancellationToken).ConfigureAwait(false);
            await client.RegisterNodeAsync(nodeBytes, "unix:@" + nodeSocket, resources, Environment.ProcessId, nodeId, cancellationToken).ConfigureAwait(false);
            var entry = Assembly.GetEntryAssembly()?.GetName().Name ?? "unknown";
            await client.RegisterJobAsync(jobBytes, Environment.ProcessId, @namespace ?? ActorNamespaces.AnonymousOf(job), entry, cancellationToken).ConfigureAwait(false);
            return new EmbeddedControlPlane(service, client, nodeBytes, jobBytes);
        }
        catch
        {
            await service.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Heartbeats stop first: one answered after the node left would register it again.
        await _stopHeartbeats.CancelAsync().ConfigureAwait(false);
        await _heartbeats.ConfigureAwait(false);
        _stopHeartbeats.Dispose();
        if (_taskEvents is not null)
        {
            await _taskEvents.DisposeAsync().ConfigureAwait(false);
        }

        if (_requests is not null)
        {
            await _requests.DisposeAsync().ConfigureAwait(false);
        }

        await _client.FinishJobAsync(_jobId).ConfigureAwait(false);
        await _client.UnregisterNodeAsync(_nodeId).ConfigureAwait(false);

        await _service.DisposeAsync().ConfigureAwait(false);
    }
}
