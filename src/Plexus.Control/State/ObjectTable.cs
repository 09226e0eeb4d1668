using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.State;

/// <summary>
/// Each node's object store as it last reported it (with its task events, about once a second):
/// its totals, its use per job, and its largest objects (at most a bound per node). A report
/// replaces the node's; a node that died or left has its store dropped. In memory only. Thread-safe.
/// </summary>
internal sealed class ObjectTable(TimeProvider time)
{
    private readonly object _lock = new();
    // By node: its store at its latest report, and when that report came (Unix µs).
    private readonly Dictionary<ulong, (Proto.StoreReport Store, long ReportedMicros)> _byNode = [];

    public void Report(ulong node, Proto.StoreReport store)
    {
        var copy = store.Clone();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        lock (_lock)
        {
            _byNode[node] = (copy, now);
        }
    }

    public void NodeGone(ulong node)
    {
        lock (_lock)
        {
            _byNode.Remove(node);
        }
    }

    /// <summary>Every node's latest store, by node id.</summary>
    public IReadOnlyList<NodeStore> Snapshot()
    {
        lock (_lock)
        {
            return [.. _byNode.OrderBy(n => n.Key).Select(n => new NodeStore(n.Key, n.Value.Store, n.Value.ReportedMicros))];
        }
    }
}

/// <summary>One node's store as its latest report told it (the report is the table's: not to be changed).</summary>
internal sealed record NodeStore(ulong Node, Proto.StoreReport Store, long ReportedMicros);
