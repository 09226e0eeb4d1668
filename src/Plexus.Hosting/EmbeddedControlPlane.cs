using System.Buffers.Binary;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Plexus.Control;

namespace Plexus.Hosting;

/// <summary>
/// The control service an embedded cluster runs in the driver's process, with this node
/// registered and heartbeating and this program registered as a job. Stopped with the runtime.
/// </summary>
internal sealed class EmbeddedControlPlane : IAsyncDisposable
{
    private readonly ControlServer _server;
    private readonly ControlClient _client;
    private readonly byte[] _nodeId;
    private readonly byte[] _jobId;
    private readonly CancellationTokenSource _stopHeartbeats = new();
    private readonly Task _heartbeats;

    private EmbeddedControlPlane(ControlServer server, ControlClient client, byte[] nodeId, byte[] jobId)
    {
        _server = server;
        _client = client;
        _nodeId = nodeId;
        _jobId = jobId;
        _heartbeats = client.RunHeartbeatLoopAsync(nodeId, _stopHeartbeats.Token);
    }

    /// <summary>Where the control service listens (gRPC over HTTP/2 on loopback).</summary>
    public Uri Address => _server.Address;

    public ControlClient Client => _client;

    public static async Task<EmbeddedControlPlane> StartAsync(
        ulong nodeId, string nodeSocket, int cpus, JobId job, string token, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var server = await ControlServer.StartAsync(new ControlServerOptions { ClusterToken = token, LoggerFactory = loggerFactory }, cancellationToken)
            .ConfigureAwait(false);
        var client = new ControlClient(server.Address, token);
        try
        {
            var nodeBytes = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(nodeBytes, nodeId);
            var jobBytes = new byte[16];
            BinaryPrimitives.WriteUInt64BigEndian(jobBytes, job.High);
            BinaryPrimitives.WriteUInt64BigEndian(jobBytes.AsSpan(8), job.Low);
            var resources = new Dictionary<string, double> { ["CPU"] = cpus };
            await client.RegisterNodeAsync(nodeBytes, "unix:@" + nodeSocket, resources, Environment.ProcessId, cancellationToken).ConfigureAwait(false);
            var entry = Assembly.GetEntryAssembly()?.GetName().Name ?? "unknown";
            await client.RegisterJobAsync(jobBytes, Environment.ProcessId, "default", entry, cancellationToken).ConfigureAwait(false);
            return new EmbeddedControlPlane(server, client, nodeBytes, jobBytes);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Heartbeats stop first: one answered after the node left would register it again.
        await _stopHeartbeats.CancelAsync().ConfigureAwait(false);
        await _heartbeats.ConfigureAwait(false);
        _stopHeartbeats.Dispose();
        try
        {
            await _client.FinishJobAsync(_jobId).ConfigureAwait(false);
            await _client.UnregisterNodeAsync(_nodeId).ConfigureAwait(false);
        }
        catch (ControlServiceUnavailableException)
        {
            // Shutting down anyway: the records go with the in-memory store.
        }

        await _client.DisposeAsync().ConfigureAwait(false);
        await _server.DisposeAsync().ConfigureAwait(false);
    }
}
