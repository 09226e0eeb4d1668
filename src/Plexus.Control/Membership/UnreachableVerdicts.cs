namespace Plexus.Control.Membership;

/// <summary>What to do about one node after a heartbeat that reported lost links.</summary>
/// <param name="Key">The node to mark DEAD (lower-case hex id).</param>
/// <param name="SilentAtLeast">Marked only if still silent this long when the table acts (the report of a silent node); null: marked regardless (fenced).</param>
/// <param name="Reason">Its death reason, as listed.</param>
internal sealed record UnreachableVerdict(string Key, TimeSpan? SilentAtLeast, string Reason);

/// <summary>
/// Decides what the links a node reports lost mean, from the reporter's consecutive reports and
/// the reported nodes' silence. Pure: the <see cref="MembershipTable"/> acts on the verdicts.
/// </summary>
/// <remarks>
/// A node treats a peer whose link it lost as dead at once (its processes' work is placed again),
/// so the cluster must agree quickly that one end of a lost link is gone:
/// <list type="bullet">
/// <item>A reported node silent for two heartbeat intervals is dead (killed, or its machine is):
/// declared so at once instead of after the timeout.</item>
/// <item>A reported node that still heartbeats while the report is repeated
/// <see cref="ReportsToFence"/> times in a row has a link that stays broken between two live
/// nodes: it is fenced, so the reporter's "link lost = dead" holds cluster-wide. The reporter is
/// ALIVE (reports of non-ALIVE nodes are never read), so of two nodes reporting each other the
/// first to reach the count fences the other, and exactly one goes.</item>
/// <item>A reporter that has lost its links to two or more nodes that still heartbeat is itself
/// the broken end (one bad network card must not take the cluster down): it is fenced instead.</item>
/// </list>
/// </remarks>
internal static class UnreachableVerdicts
{
    /// <summary>How many consecutive reports fence a node that still heartbeats.</summary>
    public const int ReportsToFence = 3;

    /// <summary>How many heartbeat intervals of silence make a reported node dead at once.</summary>
    public const int SilentIntervals = 2;

    /// <param name="reporter">The reporting node (ALIVE).</param>
    /// <param name="streaks">Each reported node and how many of the reporter's heartbeats in a row reported it.</param>
    /// <param name="silenceOf">How long a node has been silent; null when it is not ALIVE (unknown or DEAD): its report is moot.</param>
    /// <param name="heartbeatInterval">The interval the service asks nodes to heartbeat at.</param>
    public static IReadOnlyList<UnreachableVerdict> Decide(
        string reporter, IReadOnlyDictionary<string, int> streaks, Func<string, TimeSpan?> silenceOf, TimeSpan heartbeatInterval)
    {
        var silentLimit = heartbeatInterval * SilentIntervals;
        var verdicts = new List<UnreachableVerdict>();
        var live = new List<(string Key, int Streak)>();
        foreach (var (key, streak) in streaks)
        {
            if (key == reporter || silenceOf(key) is not { } silence)
            {
                continue;
            }

            if (silence >= silentLimit)
            {
                verdicts.Add(new UnreachableVerdict(key, silentLimit, $"unreachable from node {reporter}, silent for {(long)silence.TotalMilliseconds} ms"));
            }
            else
            {
                live.Add((key, streak));
            }
        }

        if (live.Count == 0 || live.Max(n => n.Streak) < ReportsToFence)
        {
            return verdicts;
        }

        if (live.Count >= 2)
        {
            string peers = string.Join(", ", live.Select(n => n.Key));
            return [.. verdicts, new UnreachableVerdict(reporter, null,
                $"fenced: it lost its links to {live.Count} nodes that still heartbeat ({peers}) for {ReportsToFence} heartbeats in a row, so its own network is at fault")];
        }

        return [.. verdicts, new UnreachableVerdict(live[0].Key, null,
            $"fenced: unreachable from node {reporter} for {ReportsToFence} heartbeats in a row while it still heartbeats")];
    }
}
