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

    public int PendingCount => _pending.Count;

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

    /// <summary>Hands pending tasks to workers with room; returns the messages to send.</summary>
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

        UnpinArgs(inFlight);
        return inFlight.Spec;
    }

    public void SetBlocked(int process, bool blocked)
    {
        if (_workers.TryGetValue(process, out var worker))
        {
            worker.Blocked = Math.Max(0, worker.Blocked + (blocked ? 1 : -1));
        }
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
            if (spec.Attempt < spec.MaxRetries)
            {
                spec.Attempt++;
                onRetry(spec);
                Enqueue(spec, front: true);
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

    private bool TryPinArgs(TaskSpec spec, out ObjectId[] pinned, out ObjectId missing)
    {
        List<ObjectId>? pins = null;
        foreach (var arg in spec.Args)
        {
            if (arg.Location != ValueLocation.Stored)
            {
                continue;
            }

            if (store.TryPin(arg.Id) is null)
            {
                foreach (var id in pins ?? [])
                {
                    store.Unpin(id);
                }

                pinned = [];
                missing = arg.Id;
                return false;
            }

            (pins ??= []).Add(arg.Id);
        }

        pinned = pins?.ToArray() ?? [];
        missing = default;
        return true;
    }

    private void UnpinArgs(InFlightTask inFlight)
    {
        foreach (var id in inFlight.PinnedArgs)
        {
            store.Unpin(id);
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
