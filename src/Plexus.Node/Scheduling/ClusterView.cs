namespace Plexus.Node;

/// <summary>One other live node as the control service last reported it.</summary>
/// <param name="Node">Its id.</param>
/// <param name="Total">What it offers: <c>CPU</c>, custom resources.</param>
/// <param name="Used">What its latest heartbeat said is in use.</param>
internal sealed record PeerResources(ulong Node, IReadOnlyDictionary<string, double> Total, IReadOnlyDictionary<string, double> Used);

/// <summary>
/// The other live nodes and their resources, as the control service spreads them (with each
/// heartbeat's answer; never asked per task), plus what this node has sent each one since: a
/// view that is a heartbeat old must not send every task of a burst to the same idle node.
/// Only touched under the node's lock.
/// </summary>
internal sealed class ClusterView
{
    private Dictionary<ulong, PeerResources> _nodes = [];
    // CPUs of the tasks sent to each node since its usage was reported.
    private readonly Dictionary<ulong, double> _sentSinceReport = [];

    public IReadOnlyCollection<PeerResources> Nodes => _nodes.Values;

    public bool IsAlive(ulong node) => _nodes.ContainsKey(node);

    public PeerResources? Find(ulong node) => _nodes.GetValueOrDefault(node);

    /// <summary>Replaces the view: usage as reported now, nothing sent since.</summary>
    public void Update(IEnumerable<PeerResources> nodes)
    {
        _nodes = nodes.ToDictionary(n => n.Node);
        _sentSinceReport.Clear();
    }

    /// <summary>CPUs of <paramref name="node"/> free as far as this node knows.</summary>
    public double FreeCpus(PeerResources node) =>
        node.Total.GetValueOrDefault(Resources.Cpu) - node.Used.GetValueOrDefault(Resources.Cpu) - _sentSinceReport.GetValueOrDefault(node.Node);

    public void Sent(ulong node, double cpus) => _sentSinceReport[node] = _sentSinceReport.GetValueOrDefault(node) + cpus;
}
