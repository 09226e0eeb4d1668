using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Queues tasks and hands them to workers. A worker takes up to its slots plus
/// <see cref="NodeOptions.PipelineDepth"/> tasks; tasks that wait on futures do not count, so
/// nested tasks far deeper than the slot count still find room to run. Not thread-safe: the
/// node calls it under its lock and sends the returned messages after releasing it.
/// </summary>
internal sealed class TaskDispatcher(LocalObjectStore store, int slotsPerWorker, int pipelineDepth)
{
    private readonly LinkedList<TaskSpec> _pending = new();
    private readonly Dictionary<int, WorkerState> _workers = [];

    public IReadOnlyDictionary<int, WorkerState> Workers => _workers;

    public void AddWorker(int process, WorkerState worker) => _workers[process] = worker;

    public void Enqueue(TaskSpec spec, bool front = false)
    {
        if (front)
        {
            _pending.AddFirst(spec);
        }
        else
        {
            _pending.AddLast(spec);
        }
    }

    /// <summary>Hands pending tasks to workers with room, adding the messages to send to <paramref name="outbox"/>.</summary>
    public void Dispatch(Outbox outbox)
    {
        var limit = slotsPerWorker + pipelineDepth;
        while (_pending.First is { } node)
        {
            var worker = LeastLoaded();
            if (worker is null || worker.Load >= limit)
            {
                return;
            }

            _pending.RemoveFirst();
            var spec = node.Value;
            if (!TryPinArgs(spec, out var pinned, out var missing))
            {
                outbox.Add(spec.Owner.Process, Failure(spec, ErrorKind.ObjectLost, "Plexus.ObjectLostException",
                    $"Argument object {missing} of task {spec.Name ?? spec.Function.Method} was freed before the task ran."));
                continue;
            }

            worker.InFlight[spec.Id] = new InFlightTask(spec, pinned);
            outbox.Add(worker.Link, new ExecuteTask { Spec = spec });
        }
    }

    /// <summary>Forgets a finished task; returns its spec, or null if unknown (a late reply after a crash).</summary>
    public TaskSpec? Complete(int process, TaskId task)
    {
        if (!_workers.TryGetValue(process, out var worker) || !worker.InFlight.Remove(task, out var inFlight))
        {
            return null;
        }

        worker.Blocked.Remove(task);
        UnpinArgs(inFlight);
        return inFlight.Spec;
    }

    public void SetBlocked(int process, TaskId task, bool blocked)
    {
        if (!_workers.TryGetValue(process, out var worker) || !worker.InFlight.ContainsKey(task))
        {
            return;
        }

        if (blocked)
        {
            worker.Blocked.Add(task);
        }
        else
        {
            worker.Blocked.Remove(task);
        }
    }

    /// <summary>Drops the queued tasks of an owner that has died: nobody can receive their results.</summary>
    public int DropQueuedTasksOf(int owner)
    {
        var dropped = 0;
        for (var node = _pending.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.Owner.Process == owner)
            {
                _pending.Remove(node);
                dropped++;
            }

            node = next;
        }

        return dropped;
    }

    /// <summary>
    /// Removes a dead worker: its tasks are retried while they have retries left, and fail with
    /// <see cref="ErrorKind.WorkerCrashed"/> after that.
    /// </summary>
    public WorkerState? RemoveWorker(int process, Outbox outbox, Action<TaskSpec> onRetry)
    {
        if (!_workers.Remove(process, out var worker))
        {
            return null;
        }

        foreach (var inFlight in worker.InFlight.Values)
        {
            UnpinArgs(inFlight);
            var spec = inFlight.Spec;
            if (spec.Owner.Process == process)
            {
                continue; // The task's owner died with the worker: nobody wants its results.
            }

            if (spec.Attempt < spec.MaxRetries)
            {
                // A new spec, not a mutation: an in-process owner keeps the original as lineage.
                var retry = spec with { Attempt = spec.Attempt + 1 };
                onRetry(retry);
                Enqueue(retry, front: true);
            }
            else
            {
                outbox.Add(spec.Owner.Process, Failure(spec, ErrorKind.WorkerCrashed, "Plexus.WorkerCrashedException",
                    $"The worker process running task {spec.Name ?? spec.Function.Method} died " +
                    $"(attempt {spec.Attempt + 1} of {spec.MaxRetries + 1})."));
            }
        }

        return worker;
    }

    /// <summary>Fails every queued task: no worker can be started to run them.</summary>
    public void FailAllQueued(Outbox outbox, string reason)
    {
        foreach (var spec in _pending)
        {
            outbox.Add(spec.Owner.Process, Failure(spec, ErrorKind.WorkerCrashed, "Plexus.WorkerCrashedException",
                $"No worker process can run task {spec.Name ?? spec.Function.Method}: {reason}"));
        }

        _pending.Clear();
    }

    private WorkerState? LeastLoaded()
    {
        WorkerState? best = null;
        foreach (var worker in _workers.Values)
        {
            if (best is null || worker.Load < best.Load)
            {
                best = worker;
            }
        }

        return best;
    }

    private bool TryPinArgs(TaskSpec spec, out ObjectValue[] pinned, out ObjectId missing)
    {
        List<ObjectValue>? pins = null;
        foreach (var arg in spec.Args)
        {
            if (arg.Location != ValueLocation.Stored)
            {
                continue;
            }

            var version = store.TryPin(arg.Id);
            if (version is null || version.Offset != arg.Offset)
            {
                if (version is not null)
                {
                    store.Unpin(version.Id, version.Offset);
                }

                foreach (var held in pins ?? [])
                {
                    store.Unpin(held.Id, held.Offset);
                }

                pinned = [];
                missing = arg.Id;
                return false;
            }

            (pins ??= []).Add(version);
        }

        pinned = pins?.ToArray() ?? [];
        missing = default;
        return true;
    }

    private void UnpinArgs(InFlightTask inFlight)
    {
        foreach (var version in inFlight.PinnedArgs)
        {
            store.Unpin(version.Id, version.Offset);
        }
    }

    public static TaskFinished Failure(TaskSpec spec, ErrorKind kind, string type, string message) => new()
    {
        Task = spec.Id,
        Owner = spec.Owner,
        Returns = [],
        Error = new ErrorInfo(kind, type, message, string.Empty, spec.Name),
    };
}
