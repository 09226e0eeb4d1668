namespace Plexus.Node;

/// <summary>What the node's metrics read when they are collected (see <see cref="NodeMetrics"/>).</summary>
internal sealed partial class NodeDaemon : INodeReadings
{
    /// <summary>The node's metrics, whose meter listeners (the Prometheus endpoint, tests) pick by name or by instance; null when <see cref="NodeOptions.Telemetry"/> is off.</summary>
    internal NodeMetrics? Metrics => _metrics;

    /// <inheritdoc />
    public TaskStateCounts TaskStates() => Locked(_scheduler.CountByState);

    /// <inheritdoc />
    public (int Alive, int Pending) ActorStates() => Locked(_actors.CountByState);

    /// <inheritdoc />
    public int WorkerProcessCount => Locked(() => _processes.OsProcesses.Count());
}
