namespace Plexus.ClusterHosting;

/// <summary>
/// Kills a process and everything it started, as a machine failure would: a node daemon and its
/// worker processes. Members are the descendants of the root (by parent pid) and every process in
/// the root's session: the fixture starts each node as a session leader, so workers orphaned by a
/// node that died first are still found.
/// </summary>
internal static class ProcessTree
{
    /// <summary>The root (while it exists) and every member of its tree, as they are now.</summary>
    /// <remarks>
    /// Once the root has exited and been reaped its pid may be reused: a process with the root's
    /// pid but another start time is not the root, and its session and children are not the
    /// root's (the root's orphans, if any, are then left alone rather than risk killing strangers).
    /// </remarks>
    public static HashSet<int> Members(ProcessIdentity root)
    {
        var all = ProcFs.All();
        if (all.Any(p => p.Pid == root.Pid && !root.Is(p)))
        {
            return [];
        }

        var members = all.Where(p => p.Pid == root.Pid || p.SessionId == root.Pid).Select(p => p.Pid).ToHashSet();
        var children = all.ToLookup(p => p.ParentPid, p => p.Pid);
        var pending = new Queue<int>(members);
        while (pending.TryDequeue(out var pid))
        {
            foreach (var child in children[pid])
            {
                if (members.Add(child))
                {
                    pending.Enqueue(child);
                }
            }
        }

        return members;
    }

    /// <summary>
    /// SIGKILLs the root and every member of its tree, and returns the pids it killed. Members are
    /// stopped first, until a pass finds no new one: a stopped process cannot fork, so no child
    /// escapes between the walk and the kill, and no member is orphaned (and so lost from the
    /// walk) while the walk is still going on.
    /// </summary>
    public static IReadOnlyCollection<int> Kill(ProcessIdentity root)
    {
        var stopped = new HashSet<int>();
        while (true)
        {
            var fresh = Members(root).Where(stopped.Add).ToList();
            if (fresh.Count == 0)
            {
                break;
            }

            foreach (var pid in fresh)
            {
                Native.Signal(pid, Native.SigStop);
            }
        }

        foreach (var pid in stopped)
        {
            Native.Signal(pid, Native.SigKill);
        }

        return stopped;
    }

    /// <summary>
    /// Reaps every pid of <paramref name="killed"/> that has become this process's zombie and
    /// returns true once none of them is left in /proc (pids this process does not parent are
    /// left to their parent; a process another parent never reaps keeps this false).
    /// </summary>
    public static bool Reap(IEnumerable<int> killed)
    {
        var left = false;
        foreach (var pid in killed)
        {
            if (ProcFs.Read(pid) is not { } stat)
            {
                continue;
            }

            if (!(stat.IsZombie && stat.ParentPid == Environment.ProcessId && Native.TryReap(pid)))
            {
                left = true;
            }
        }

        return !left;
    }
}
