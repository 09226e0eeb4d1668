namespace Plexus.Node;

/// <summary>One other live node as the control service last reported it.</summary>
/// <param name="Node">Its id.</param>
/// <param name="Total">What it offers: <c>CPU</c>, custom resources.</param>
/// <param name="Used">What its latest heartbeat said is in use.</param>
internal sealed record PeerResources(ulong Node, IReadOnlyDictionary<string, double> Total, IReadOnlyDictionary<string, double> Used);

/// <summary>
/// The other live nodes and their resources (offered, and in use: CPUs, GPUs and custom ones held
/// or asked by their work), as the control service spreads them (with each heartbeat's answer;
/// never asked per task), plus what this node has sent each one since: a view that is a heartbeat
/// old must not send every task of a burst to the same idle node.
/// Only touched under the node's lock.
/// </summary>
internal sealed class ClusterView
{
    private Dictionary<ulong, PeerResources> _nodes = [];
    // Nodes that said they are leaving (NodeDraining): kept out of the view until they are gone.
    private readonly HashSet<ulong> _draining = [];
    // Nodes whose link was lost: most likely dead, so no work goes there while the control service,
    // which declares death only after its timeout, still lists them; back once a link is up again.
    private readonly HashSet<ulong> _unreachable = [];
    // What the work sent to each node since its usage was reported asks for: CPUs and other resources, by name.
    private readonly Dictionary<ulong, Dictionary<string, double>> _sentSinceReport = [];

    public IReadOnlyCollection<PeerResources> Nodes => _nodes.Values;

    public bool IsAlive(ulong node) => _nodes.ContainsKey(node);

    public PeerResources? Find(ulong node) => _nodes.GetValueOrDefault(node);

    /// <summary>Replaces the view: usage as reported now, nothing sent since; a draining node stays out of it.</summary>
    public void Update(IEnumerable<PeerResources> nodes)
    {
        var listed = nodes.ToDictionary(n => n.Node);
        _draining.IntersectWith(listed.Keys);
        _unreachable.IntersectWith(listed.Keys);
        _nodes = listed.Where(n => !_draining.Contains(n.Key) && !_unreachable.Contains(n.Key)).ToDictionary();
        _sentSinceReport.Clear();
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
