using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.State;

/// <summary>
/// Each node's worker processes as it last reported them (with its task events, about once a
/// second): a report replaces the node's list, and a node that died or left has its list dropped.
/// In memory only. Thread-safe.
/// </summary>
internal sealed class WorkerTable
{
    private readonly object _lock = new();
    // By node: its workers at its latest report, in process order.
    private readonly Dictionary<ulong, Proto.WorkerProcess[]> _byNode = [];

    public void Report(ulong node, IEnumerable<Proto.WorkerProcess> workers)
    {
        var list = workers.Select(w => w.Clone()).OrderBy(w => w.Process).ToArray();
        lock (_lock)
        {
            _byNode[node] = list;
        }
    }

    public void NodeGone(ulong node)
    {
        lock (_lock)
        {
            _byNode.Remove(node);
        }
    }

    /// <summary>The workers of <paramref name="node"/>, or of every node (by node, then process) when null.</summary>
    public Proto.ListWorkersReply List(ulong? node)
    {
        var reply = new Proto.ListWorkersReply();
        lock (_lock)
        {
            foreach (var (id, workers) in _byNode.OrderBy(n => n.Key))
            {
                if (node is null || node == id)
                {
                    reply.Workers.AddRange(workers.Select(w => w.Clone()));
                }
            }
        }

        return reply;
    }
}
