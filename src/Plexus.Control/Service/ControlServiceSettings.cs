namespace Plexus.Control.Service;

/// <summary>How a <see cref="ControlService"/> judges liveness, fixed when it is created.</summary>
/// <param name="HeartbeatInterval">How often nodes are told to heartbeat.</param>
/// <param name="HeartbeatTimeout">A node silent for this long is marked DEAD; longer than the interval.</param>
internal sealed record ControlServiceSettings(TimeSpan HeartbeatInterval, TimeSpan HeartbeatTimeout)
{
    /// <summary>The default heartbeat interval, 1 s.</summary>
    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(1);

    /// <summary>The default heartbeat timeout, 10 s: ten missed heartbeats.</summary>
    public static readonly TimeSpan DefaultHeartbeatTimeout = TimeSpan.FromSeconds(10);

    public static ControlServiceSettings Default { get; } = new(DefaultHeartbeatInterval, DefaultHeartbeatTimeout);

    /// <summary>What is wrong with these settings, one sentence per problem naming the setting; empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            yield return $"HeartbeatInterval is {HeartbeatInterval}: it must be positive.";
        }

        if (HeartbeatTimeout <= HeartbeatInterval)
        {
            yield return $"HeartbeatTimeout ({HeartbeatTimeout}) must be longer than HeartbeatInterval ({HeartbeatInterval}), " +
                "or a node heartbeating on time would be declared dead; several intervals absorb late heartbeats.";
        }
    }
}
