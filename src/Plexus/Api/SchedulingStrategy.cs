namespace Plexus;

/// <summary>
/// How the cluster chooses the node for a task or actor. Whatever the strategy, a task goes
/// preferably to the node that holds most of its argument bytes when that node can run it.
/// </summary>
public abstract class SchedulingStrategy
{
    private protected SchedulingStrategy()
    {
    }

    /// <summary>Pack work onto the submitting node until it is busy, then spread it to the nodes with the most free CPUs.</summary>
    public static SchedulingStrategy Default { get; } = new DefaultStrategy();

    /// <summary>Spread work over every node that can run it, in turn.</summary>
    public static SchedulingStrategy Spread { get; } = new SpreadStrategy();

    /// <summary>
    /// Run on node <paramref name="nodeId"/> (its id as <c>plexus status</c> and
    /// <see cref="PlexusRuntime.NodeId"/> show it). Hard (the default): only there; the work
    /// fails with <see cref="NodeUnavailableException"/> if that node is not alive. Soft: there
    /// when it is alive, elsewhere otherwise.
    /// </summary>
    public static SchedulingStrategy NodeAffinity(string nodeId, bool soft = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        return new NodeAffinityStrategy(nodeId, soft);
    }

    /// <inheritdoc />
    public override string ToString() => GetType().Name;

    internal sealed class DefaultStrategy : SchedulingStrategy;

    internal sealed class SpreadStrategy : SchedulingStrategy;

    internal sealed class NodeAffinityStrategy(string nodeId, bool soft) : SchedulingStrategy
    {
        public string NodeId { get; } = nodeId;

        public bool Soft { get; } = soft;
    }
}
