using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Membership;

/// <summary>
/// One node as the membership table sees it: the persisted record plus volatile liveness data.
/// </summary>
/// <remarks>
/// <see cref="Record"/> is never mutated after construction; a state change replaces the whole
/// entry. The heartbeat fields are updated in place, without the membership write lock, because
/// heartbeats are the most frequent call and touch nothing durable.
/// </remarks>
internal sealed class NodeEntry
{
    // TimeProvider timestamp of the latest heartbeat, or of registration/recovery before the first one.
    private long _lastHeartbeatTimestamp;

    // The work no node can run, from the latest heartbeat; replaced whole.
    private IReadOnlyList<string> _infeasible = [];

    // Resource usage from the latest heartbeat; replaced whole, never mutated.
    private IReadOnlyDictionary<string, double> _resourceUsage;

    // Each peer this node reports unreachable -> how many of its heartbeats in a row reported it; replaced whole.
    private IReadOnlyDictionary<string, int> _unreachableStreaks = new Dictionary<string, int>();

    public NodeEntry(string key, long registrationSequence, Proto.NodeInfo record, long lastHeartbeatTimestamp, IReadOnlyDictionary<string, double> resourceUsage)
    {
        Key = key;
        RegistrationSequence = registrationSequence;
        Record = record;
        _lastHeartbeatTimestamp = lastHeartbeatTimestamp;
        _resourceUsage = resourceUsage;
    }

    /// <summary>Lower-case hex node id.</summary>
    public string Key { get; }

    /// <summary>
    /// Orders nodes by (last) registration. The registration time has millisecond resolution, so
    /// two nodes registering within a millisecond would otherwise be listed in no defined order.
    /// </summary>
    public long RegistrationSequence { get; }

    /// <summary>The persisted part: identity, address, resources, state.</summary>
    public Proto.NodeInfo Record { get; }

    public bool IsAlive => Record.State == Proto.NodeState.Alive;

    public long LastHeartbeatTimestamp => Volatile.Read(ref _lastHeartbeatTimestamp);

    public IReadOnlyDictionary<string, double> ResourceUsage => Volatile.Read(ref _resourceUsage);

    public void RecordHeartbeat(long timestamp, IReadOnlyDictionary<string, double>? resourceUsage, IReadOnlyList<string>? infeasible = null)
    {
        Volatile.Write(ref _lastHeartbeatTimestamp, timestamp);
        Volatile.Write(ref _infeasible, infeasible ?? []);
        if (resourceUsage is not null)
        {
            Volatile.Write(ref _resourceUsage, resourceUsage);
        }
    }

    /// <summary>
    /// Counts a heartbeat's report of lost links: a peer reported again extends its streak, one no
    /// longer reported (its link is back, or it left) ends it. Returns the streaks now.
    /// </summary>
    public IReadOnlyDictionary<string, int> CountUnreachable(IEnumerable<string> reported)
    {
        var before = Volatile.Read(ref _unreachableStreaks);
        var now = reported.Distinct(StringComparer.Ordinal).ToDictionary(key => key, key => before.GetValueOrDefault(key) + 1, StringComparer.Ordinal);
        Volatile.Write(ref _unreachableStreaks, now);
        return now;
    }

    /// <summary>The same node with a new persisted record and the current liveness data.</summary>
    public NodeEntry WithRecord(Proto.NodeInfo record) =>
        new(Key, RegistrationSequence, record, LastHeartbeatTimestamp, ResourceUsage);

    /// <summary>The wire view: the record plus heartbeat age and usage as of <paramref name="now"/>.</summary>
    public Proto.NodeInfo ToWire(TimeProvider time, long now)
    {
        var info = Record.Clone();
        info.LastHeartbeatAgeMs = (long)time.GetElapsedTime(LastHeartbeatTimestamp, now).TotalMilliseconds;
        foreach (var (resource, amount) in ResourceUsage)
        {
            info.ResourceUsage[resource] = amount;
        }

        info.Infeasible.AddRange(Volatile.Read(ref _infeasible));

        return info;
    }
}
