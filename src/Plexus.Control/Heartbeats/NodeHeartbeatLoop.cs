namespace Plexus.Control.Heartbeats;

/// <summary>
/// A node's heartbeats, written once for every <see cref="IControlClient"/>: at the interval the
/// service asked for, re-registering the node when the service answers that it does not know it
/// (it restarted, or declared the node dead), and riding out an unreachable service.
/// </summary>
internal static class NodeHeartbeatLoop
{
    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled; then the task completes normally.</summary>
    /// <exception cref="InvalidOperationException">The node was not registered through <paramref name="client"/>, or the service refused to re-admit it.</exception>
    /// <exception cref="ClusterTokenRejectedException">The service rejected the cluster token.</exception>
    public static async Task RunAsync(
        IControlClient client,
        AcceptedRegistrations registrations,
        byte[] nodeId,
        Func<IReadOnlyDictionary<string, double>>? resourceUsage,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        var interval = registrations.Get(nodeId).HeartbeatInterval;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    if (!await client.HeartbeatAsync(nodeId, resourceUsage?.Invoke(), cancellationToken).ConfigureAwait(false))
                    {
                        // The latest registration, not the first: the node may have registered again since.
                        interval = await ReRegisterAsync(client, registrations.Get(nodeId).Request, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (ControlServiceUnavailableException e) when (e is not ClusterTokenRejectedException)
                {
                    // The service may be restarting; the next heartbeat tells whether it still knows us.
                }

                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static async Task<TimeSpan> ReRegisterAsync(IControlClient client, Protocol.Control.RegisterNodeRequest registration, CancellationToken cancellationToken)
    {
        var result = await client.RegisterNodeAsync(
            registration.NodeId.ToByteArray(), registration.Address, registration.Resources, registration.Pid, registration.Incarnation, cancellationToken).ConfigureAwait(false);
        if (!result.Accepted)
        {
            throw new InvalidOperationException(
                $"The control service refused to re-admit node {Convert.ToHexStringLower(registration.NodeId.Span)}: {result.RejectReason}");
        }

        return result.HeartbeatInterval;
    }
}
