namespace Plexus.Node;

internal sealed partial class NodeDaemon
{
    /// <summary>
    /// The task and actor-call events recorded since the last call, oldest first, with the pids of
    /// the workers they name, the node's worker processes and its store now: what <see cref="TaskEventShipper"/> reports.
    /// </summary>
    internal TaskEventBatch TakeTaskEvents()
    {
        var pids = new Dictionary<int, int>();
        var workers = new List<WorkerSnapshot>();
        lock (_lock)
        {
            var events = TaskEventBatch.Drain(_events);
            foreach (var (process, worker) in _scheduler.Workers)
            {
                var pid = PidOf(process);
                pids[process] = pid;
                workers.Add(new WorkerSnapshot(process, pid, worker.Package, [.. worker.InFlight.Keys], _actors.ActorsOn(process), Dedicated: false));
            }

            // Asked to stop as idle, not answered yet: alive, idle, and out of the dispatcher meanwhile.
            foreach (var pool in Pools)
            {
                foreach (var process in pool.AskedToStop)
                {
                    var pid = PidOf(process);
                    pids[process] = pid;
                    workers.Add(new WorkerSnapshot(process, pid, pool.Package, [], Actors: 0, Dedicated: false));
                }
            }

            foreach (var process in _actors.DedicatedProcesses)
            {
                var pid = PidOf(process);
                pids[process] = pid;
                workers.Add(new WorkerSnapshot(process, pid, _processes.PackageOf(process), [], Actors: 1, Dedicated: true));
            }

            // Workers that ended since their events were recorded: their pids while still known.
            foreach (var e in events)
            {
                if (e.Worker != 0 && !pids.ContainsKey(e.Worker))
                {
                    pids[e.Worker] = PidOf(e.Worker);
                }
            }

            var store = StoreSummary.Take(_store.Objects, _store.Capacity, _store.Used, StoreSummary.ObjectsReported, PidOf);
            return new TaskEventBatch(events, _events.Dropped, pids, workers, _events) { Store = store };
        }
    }

    // 0 once the process is gone from the table (or never joined).
    private int PidOf(int process)
    {
        try
        {
            return _processes.OsProcessOf(process)?.Id ?? (_processes.IsDriver(process, out var pid) ? pid : 0);
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }
}
