using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Plexus.Node;

namespace Plexus.Hosting;

/// <summary>How a node starts its workers, and how long it waits for the pool.</summary>
internal sealed record WorkerPoolPlan(Func<WorkerLaunchContext, ProcessStartInfo> Launch, TimeSpan StartTimeout);

/// <summary>The node daemon as a hosted service: started with the host (once its options validate), stopped with it.</summary>
internal sealed class NodeService(IOptions<NodeOptions> options, WorkerPoolPlan pool, ILoggerFactory loggerFactory) : IHostedService
{
    private NodeDaemon? _node;

    /// <summary>The running node; throws before the host has started.</summary>
    public NodeDaemon Node => _node ?? throw new InvalidOperationException("The node has not started yet.");

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _node = await NodeDaemon.StartAsync(options.Value, pool.Launch, pool.StartTimeout, loggerFactory, cancellationToken).ConfigureAwait(false);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_node is { } node)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }
}
