namespace Plexus.Node;

/// <summary>One other live node as the control service last reported it.</summary>
/// <param name="Node">Its id.</param>
/// <param name="Total">What it offers: <c>CPU</c>, custom resources.</param>
/// <param name="Used">What its latest heartbeat said is in use.</param>
/// <param name="Incarnation">The incarnation it registered (its daemon's); 0 when it registered none, and then any is accepted.</param>
internal sealed record PeerResources(ulong Node, IReadOnlyDictionary<string, double> Total, IReadOnlyDictionary<string, double> Used, ulong Incarnation = 0);

/// <summary>
/// The other live nodes and their resources (offered, and in use: CPUs, GPUs and custom ones held
/// or asked by their work), as the control service spreads them (with each heartbeat's answer;
/// never asked per task), plus what this node has sent each one since: a view that is a heartbeat
/// old must not send every task of a burst to the same idle node.
/// Only touched under the node's lock.
/// </summary>
internal sealed class ClusterView
{
    // Every node the control service listed alive at its last view, placeable or not: whose incarnation a link is checked against.
    private Dictionary<ulong, PeerResources> _listed = [];
    // The listed nodes work may be placed on.
    private Dictionary<ulong, PeerResources> _nodes = [];
    // Nodes the control service declared dead: fenced for good, a link from one is refused.
    private readonly HashSet<ulong> _dead = [];
    // Nodes that said they are leaving (NodeDraining): kept out of the view until they are gone.
    private readonly HashSet<ulong> _draining = [];
    // Nodes whose link was lost: most likely dead, so no work goes there while the control service,
    // which declares death only after its timeout, still lists them; back once a link is up again.
    private readonly HashSet<ulong> _unreachable = [];
    // What the work sent to each node since its usage was reported asks for: CPUs and other resources, by name.
    private readonly Dictionary<ulong, Dictionary<string, double>> _sentSinceReport = [];

    public IReadOnlyCollection<PeerResources> Nodes => _nodes.Values;

    public bool IsAlive(ulong node) => _nodes.ContainsKey(node);

    /// <summary>Whether the control service declared <paramref name="node"/> dead.</summary>
    public bool IsDead(ulong node) => _dead.Contains(node);

    public PeerResources? Find(ulong node) => _nodes.GetValueOrDefault(node);

    /// <summary>
    /// Replaces the view: usage as reported now, nothing sent since; a draining node stays out of
    /// it. <paramref name="dead"/> adds to the nodes declared dead (a node never comes back from that).
    /// </summary>
    public void Update(IEnumerable<PeerResources> nodes, IEnumerable<ulong>? dead = null)
    {
        _dead.UnionWith(dead ?? []);
        var listed = _listed = nodes.ToDictionary(n => n.Node);
        _draining.IntersectWith(listed.Keys);
        _unreachable.IntersectWith(listed.Keys);
        _nodes = listed.Where(n => !_draining.Contains(n.Key) && !_unreachable.Contains(n.Key)).ToDictionary();
        _sentSinceReport.Clear();
    }

    /// <summary>
    /// Why a link from <paramref name="node"/> presenting <paramref name="incarnation"/> must be
    /// refused, or null: it was declared dead, or the view lists it with another incarnation. A node
    /// the view does not list yet is accepted (it joined after the view was read).
    /// </summary>
    public string? FencingReason(ulong node, ulong incarnation)
    {
        if (_dead.Contains(node))
        {
            return "the cluster declared that node dead; it must rejoin as a new node";
        }

        return _listed.TryGetValue(node, out var listed) && listed.Incarnation != 0 && listed.Incarnation != incarnation
            ? $"it presents incarnation {incarnation:x16}, but the cluster lists incarnation {listed.Incarnation:x16}"
            : null;
    }

    /// <summary><paramref name="node"/> is leaving: no work is placed on it any more.</summary>
    public void Drain(ulong node)
    {
        _draining.Add(node);
        _nodes.Remove(node);
    }

    /// <summary>
    /// The link to <paramref name="node"/> was lost: no work is placed on it until a link to it is up
    /// again (<see cref="Reachable"/>) or the control service stops listing it.
    /// </summary>
    public void Unreachable(ulong node)
    {
        _unreachable.Add(node);
        _nodes.Remove(node);
    }

    /// <summary>
    /// The nodes the control service still listed alive at its last view whose link was lost and
    /// not made again: what this node reports unreachable.
    /// </summary>
    public IReadOnlyCollection<ulong> UnreachableNodes => _unreachable;

    /// <summary>A link to <paramref name="node"/> is up: it is placed on again from the next view.</summary>
    public void Reachable(ulong node) => _unreachable.Remove(node);

    /// <summary>How much of <paramref name="resource"/> <paramref name="node"/> has free, as far as this node knows.</summary>
    public double Free(PeerResources node, string resource) =>
        node.Total.GetValueOrDefault(resource) - node.Used.GetValueOrDefault(resource)
        - (_sentSinceReport.TryGetValue(node.Node, out var sent) ? sent.GetValueOrDefault(resource) : 0);

    /// <summary>CPUs of <paramref name="node"/> free as far as this node knows.</summary>
    public double FreeCpus(PeerResources node) => Free(node, Resources.Cpu);

    /// <summary>Whether <paramref name="node"/> has free, as far as this node knows, the CPUs and every resource <paramref name="work"/> asks.</summary>
    public bool HasRoom(PeerResources node, Demand work) =>
        FreeCpus(node) >= work.Cpus - TaskDispatcher.CpuTolerance
        && (work.Resources is null || work.Resources.All(r => Free(node, r.Key) >= r.Value - TaskDispatcher.CpuTolerance));

    /// <summary>Work asking <paramref name="work"/> was sent to <paramref name="node"/>: counted as used there until its next report.</summary>
    public void Sent(ulong node, Demand work)
    {
        if (!_sentSinceReport.TryGetValue(node, out var sent))
        {
            _sentSinceReport[node] = sent = [];
        }

        sent[Resources.Cpu] = sent.GetValueOrDefault(Resources.Cpu) + work.Cpus;
        foreach (var (name, amount) in work.Resources ?? [])
        {
            sent[name] = sent.GetValueOrDefault(name) + amount;
        }
    }
}
