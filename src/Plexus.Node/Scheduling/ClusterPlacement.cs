using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>What a task or actor asks of its node, for <see cref="ClusterPlacement"/>.</summary>
internal readonly record struct Demand(object Source, double Cpus, Dictionary<string, double>? Resources, Placement Placement, ObjectValue[] Args)
{
    public static Demand Of(TaskSpec task) => new(task, task.Cpus, task.Resources, task.Placement, task.Args);

    // An actor's arguments are its constructor's: they draw it no more than a task's would, but it lives on.
    public static Demand Of(ActorSpec actor) => new(actor, actor.Cpus, actor.Resources, actor.Placement, []);

    /// <summary>What asks, for messages; made only when one is written (placement runs for every task).</summary>
    public string DisplayName => Source switch
    {
        TaskSpec task => $"Task '{task.DisplayName}'",
        ActorSpec actor => $"Actor {actor.Constructor.Type} ({actor.Id})",
        _ => Source.ToString() ?? string.Empty,
    };
}

/// <summary>Where a task submitted on this node runs: here, on a peer, nowhere yet (infeasible), or nowhere (bound to a node that is gone).</summary>
internal readonly record struct NodeChoice(ulong Node, string? Failure = null)
{
    /// <summary>No node of the cluster can run it now or ever, as far as this node knows.</summary>
    public static NodeChoice Infeasible { get; } = new(0);

    public bool IsInfeasible => Node == 0 && Failure is null;
}

/// <summary>
/// Chooses the node of a task that a runtime of this node submitted, from this node's state and
/// the <see cref="ClusterView"/>: the node bound by affinity; else, when another node holds most
/// of the task's argument bytes and can run it, that node (execution moves to the data); else by
/// strategy: <c>Spread</c> takes the nodes that can run it in turn, the default packs onto this
/// node while it has what the task asks free (CPUs, GPUs, custom resources) and then sends to the
/// node with the most free CPUs among those that have it free (spillback), and queues here when
/// no node has it free (on the least busy node that offers it when this one does not). A task no
/// node offers the resources for is infeasible: it waits here until a node that fits joins.
/// Called under the node's lock.
/// </summary>
/// <param name="self">This node's id.</param>
/// <param name="selfTotal">What this node offers.</param>
/// <param name="cpusPerWorker">CPUs a worker holds (every node's workers hold the same).</param>
/// <param name="view">The other live nodes.</param>
internal sealed class ClusterPlacement(ulong self, IReadOnlyDictionary<string, double> selfTotal, double cpusPerWorker, ClusterView view)
{
    // Arguments of at least this many bytes on one node draw the task there.
    private const long LocalityThreshold = 1 << 20;

    private long _spreadTurn;

    /// <param name="task">What the work asks.</param>
    /// <param name="roomHere">Whether this node has what it asks free now (asked only when the answer matters).</param>
    public NodeChoice Choose(Demand task, Func<Demand, bool> roomHere)
    {
        if (view.Nodes.Count == 0 && task.Placement.Kind == PlacementKind.Default)
        {
            // A node alone (or not yet told of others): here, or held if it cannot run here.
            return CanEverRunHere(task) ? new NodeChoice(self) : NodeChoice.Infeasible;
        }

        var placement = task.Placement;
        if (placement.Kind == PlacementKind.NodeAffinity)
        {
            if (placement.Node == self ? CanEverRunHere(task) : view.Find(placement.Node) is { } bound && CanEverRun(task, bound))
            {
                return new NodeChoice(placement.Node);
            }

            if (!placement.Soft)
            {
                return new NodeChoice(0, $"{task.DisplayName} is bound to node {placement.Node:x16}, which is not alive in the cluster or does not offer {Resources.Describe(task)}.");
            }
        }

        if (ArgumentHolder(task) is { } holder)
        {
            return new NodeChoice(holder);
        }

        var candidates = Candidates(task);
        if (candidates.Count == 0)
        {
            return NodeChoice.Infeasible;
        }

        if (placement.Kind == PlacementKind.Spread)
        {
            return new NodeChoice(candidates[(int)(_spreadTurn++ % candidates.Count)]);
        }

        var here = candidates.Contains(self);
        if (here && roomHere(task))
        {
            return new NodeChoice(self);
        }

        var peers = candidates.Where(n => n != self).Select(n => view.Find(n)!).OrderByDescending(view.FreeCpus).ToList();
        if (peers.FirstOrDefault(n => view.HasRoom(n, task)) is { } free)
        {
            return new NodeChoice(free.Node);
        }

        // No node has it free: the work waits here if it can run here, else on the least busy node that can run it.
        return new NodeChoice(here ? self : peers[0].Node);
    }

    /// <summary>This node is leaving: it runs no new work, which goes to other nodes or waits for one.</summary>
    public bool Draining { get; set; }

    /// <summary>This node's own view of what it offers, for a task arriving from a peer; nothing while it drains.</summary>
    public bool CanEverRunHere(Demand task) => !Draining && Resources.CanEverRun(task, selfTotal, cpusPerWorker);

    private bool CanEverRun(Demand task, PeerResources node) => Resources.CanEverRun(task, node.Total, cpusPerWorker);

    // Every node that offers what the task asks, this one first.
    private List<ulong> Candidates(Demand task)
    {
        var candidates = new List<ulong>();
        if (CanEverRunHere(task))
        {
            candidates.Add(self);
        }

        candidates.AddRange(view.Nodes.Where(n => CanEverRun(task, n)).Select(n => n.Node).Order());
        return candidates;
    }

    // The other node holding most of the task's stored argument bytes, if that is enough to move the task and it can run it.
    private ulong? ArgumentHolder(Demand task)
    {
        Dictionary<ulong, long>? bytes = null;
        foreach (var arg in task.Args)
        {
            if (arg.Location == ValueLocation.Stored && arg.Node != 0)
            {
                bytes ??= [];
                bytes[arg.Node] = bytes.GetValueOrDefault(arg.Node) + arg.Size;
            }
        }

        if (bytes is null)
        {
            return null;
        }

        var (node, most) = bytes.MaxBy(b => b.Value);
        if (node == self || most < LocalityThreshold || bytes.GetValueOrDefault(self) >= most)
        {
            return null;
        }

        return view.Find(node) is { } holder && CanEverRun(task, holder) ? node : null;
    }
}
