using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Queues tasks and hands them to workers. A worker takes up to its slots plus
/// <see cref="NodeOptions.PipelineDepth"/> tasks; tasks that wait on futures do not count, so
/// nested tasks far deeper than the slot count still find room to run. A task's stored arguments
/// are pinned when it is handed out; one whose arguments are spilled waits aside (parked) while
/// they are restored, and other tasks go ahead. A task asking for more CPUs than a worker has is
/// infeasible here: it is held aside, never handed out (see <see cref="WorkerCanHold"/>). Which
/// worker gets a task is the <see cref="IPlacementPolicy"/>'s choice, among the workers that may
/// take one: the node's CPUs are shared by all its pools (<see cref="ResourceLedger.Cpus"/>), so an
/// idle worker takes a task only while the node has a free slot for it. A task whose GPUs or custom
/// resources are held by running work waits queued, and the tasks behind it go ahead. Not
/// thread-safe: the node calls it under its lock and sends the returned messages after releasing it.
/// </summary>
internal sealed partial class TaskDispatcher(
    NodeObjectStore store, int slotsPerWorker, IPlacementPolicy placement, Func<JobId, string?> packageOf, LocalAddresses addresses, ResourceLedger resources)
{
    // CPU counts are fractions: sums of them are compared with this slack.
    internal const double CpuTolerance = 1e-9;

    private readonly LinkedList<QueuedTask> _pending = new();
    // Infeasible tasks: no worker of this node can ever hold them. They wait for a node that can
    // (multi-node scheduling), and go only with their owner or with the pool.
    private readonly List<TaskSpec> _infeasible = [];
    // Tasks waiting for spilled arguments to be restored; back to the front of _pending when they are.
    private readonly HashSet<QueuedTask> _parked = [];
    // What the tasks of _pending and _parked ask for in all.
    private readonly QueuedDemand _queued = new();
    private readonly Dictionary<int, WorkerState> _workers = [];
    // Tasks handed to workers so far: orders each worker's tasks in flight.
    private long _handedOut;

    public IReadOnlyDictionary<int, WorkerState> Workers => _workers;

    /// <summary>Times each task from queued here to handed to a worker; null when the node's telemetry is off.</summary>
    public SchedulingLatency? Latency { get; init; }

    /// <summary>Counts the tasks this dispatcher fails itself (their worker died, an argument is gone); null when the node's telemetry is off.</summary>
    public NodeActivity? Activity { get; init; }

    /// <summary>Where the steps of tasks are recorded (queued and why, dispatched, started, failed here). Default: nowhere.</summary>
    public TaskEventRecorder Events { get; init; } = TaskEventRecorder.Disabled;

    /// <summary>CPU slots of each worker process.</summary>
    public int SlotsPerWorker => slotsPerWorker;

    /// <summary>What the node offers and what its running tasks and live actors hold.</summary>
    public ResourceLedger Resources => resources;

    /// <summary>
    /// Copies an object stored on another node into this node's store (id, node, called when done
    /// with an error or null); set by the node once its transfers exist. Without it a task whose
    /// argument is on another node fails as if the argument were gone.
    /// </summary>
    public Action<ObjectId, ulong, Action<Outbox, ErrorInfo?>, Outbox>? PullArgument { get; set; }

    /// <summary>
    /// Called when the task at the head of the queue finds no worker while the node has a whole
    /// worker's CPUs free (given): the workers that run its job's code (named by its package, null:
    /// the embedded pool) have their CPUs partly reserved by actors, or are busy to their
    /// pipelines' depth beside them. The node may start another worker of that package
    /// (<see cref="WorkerPool.Grow"/>), which the task then goes to. Set by the node.
    /// </summary>
    public Action<string?, double, Outbox>? WorkerWanted { get; set; }

    /// <summary>Whether a task is queued here, waits for its arguments, or is in a worker's hands.</summary>
    public bool HasTasks => _pending.Count > 0 || _parked.Count > 0 || _workers.Values.Any(w => w.InFlight.Count > 0);

    /// <summary>CPUs asked for by tasks queued here or running on a worker (waiting on futures not counted).</summary>
    public double CpuDemand => _queued.Cpus + _workers.Values.Sum(w => w.Load);

    /// <summary>
    /// How much of a counted resource (GPUs, custom ones) work here asks for: held by running tasks
    /// and actors, and asked by tasks queued here.
    /// </summary>
    public double Demand(string resource) =>
        resources.Held(resource) + _queued.Of(resource);

    /// <summary>CPUs of the node no worker holds: a worker holds its slots while it has a task to run, else what its actors reserve.</summary>
    public double FreeCpus
    {
        get
        {
            // A loop, not Sum(HeldCpus): read on every dispatch, it allocates nothing.
            var held = 0.0;
            foreach (var worker in _workers.Values)
            {
                held += HeldCpus(worker);
            }

            return resources.Cpus - held;
        }
    }

    /// <summary>Whether <paramref name="worker"/> may hold <paramref name="cpus"/> more for an actor within the node's CPUs.</summary>
    public bool NodeHasRoom(WorkerState worker, double cpus)
    {
        var more = Math.Min(slotsPerWorker, worker.ReservedCpus + cpus) - HeldCpus(worker);
        return worker.Load > 0 || more <= FreeCpus + CpuTolerance;
    }

    // A worker with a task to run may run a slot's worth of them (its CpuBudget says which); an idle one holds what its actors reserve.
    private double HeldCpus(WorkerState worker) => worker.Load > 0 ? slotsPerWorker : Math.Min(slotsPerWorker, worker.ReservedCpus);

    /// <summary>The tasks held as infeasible here, for reports.</summary>
    public IReadOnlyList<TaskSpec> Infeasible => _infeasible;

    /// <summary>Takes the tasks held as infeasible, to place them again (a node joined).</summary>
    public List<TaskSpec> TakeInfeasible()
    {
        var taken = _infeasible.ToList();
        _infeasible.Clear();
        return taken;
    }

    /// <summary>Holds a task no node of the cluster can run, until one joins.</summary>
    public void HoldInfeasible(TaskSpec spec)
    {
        _infeasible.Add(spec);
        Events.Record(TaskEventKind.Infeasible, spec);
    }

    /// <summary>Holds again a task taken with <see cref="TakeInfeasible"/> that still no node can run (its wait was recorded already).</summary>
    public void HoldInfeasibleAgain(TaskSpec spec) => _infeasible.Add(spec);

    /// <summary>How many tasks are in each state here, for the node's metrics: counts every queued task, so read it per scrape, not per task.</summary>
    public TaskStateCounts CountByState()
    {
        var waitingForResources = _pending.Count(task => !resources.Fits(task.Spec.Resources));
        return new TaskStateCounts(
            Queued: _pending.Count - waitingForResources,
            WaitingForResources: waitingForResources,
            WaitingForArguments: _parked.Count,
            Infeasible: _infeasible.Count,
            Running: _workers.Values.Sum(w => w.InFlight.Count));
    }

    /// <summary>Bytes pinned for tasks not yet on a worker (parked, or holding pins while queued).</summary>
    public long QueuedPinnedBytes => _pending.Concat(_parked).Sum(t => t.PinnedBytes);

    public void AddWorker(int process, WorkerState worker) => _workers[process] = worker;

    /// <summary>
    /// Takes an idle worker out while it is asked to stop (<see cref="IdleWorkers"/>): no task, and
    /// no actor, is handed to it until it is added again. Throws <see cref="InvalidOperationException"/>
    /// when it holds a task: its results would find no worker to free.
    /// </summary>
    public void Withdraw(int process)
    {
        if (_workers.Remove(process, out var worker) && worker.InFlight.Count > 0)
        {
            _workers[process] = worker;
            throw new InvalidOperationException($"Worker process {process} holds {worker.InFlight.Count} tasks: it cannot be withdrawn.");
        }
    }

    /// <summary>
    /// Whether a worker of this node has <paramref name="cpus"/> CPUs at all (some may be busy or
    /// reserved now). Work asking for more is infeasible: tasks and actors alike stay pending.
    /// </summary>
    public bool WorkerCanHold(double cpus) => cpus <= slotsPerWorker + CpuTolerance;

    /// <summary>Queues a task; false when it is infeasible here (held aside, see <see cref="WorkerCanHold"/>), for the node to report.</summary>
    public bool Enqueue(TaskSpec spec, bool front = false)
    {
        if (!WorkerCanHold(spec.Cpus))
        {
            HoldInfeasible(spec);
            return false;
        }

        Events.Record(TaskEventKind.Queued, spec);

        _queued.Add(spec);
        var task = new QueuedTask(spec) { QueuedAt = Latency?.Now() ?? 0 };
        if (front)
        {
            _pending.AddFirst(task);
        }
        else
        {
            _pending.AddLast(task);
        }

        return true;
    }

    /// <summary>Hands pending tasks to workers with room, adding the messages to send to <paramref name="outbox"/>.</summary>
    public void Dispatch(Outbox outbox)
    {
        for (var node = _pending.First; node is not null;)
        {
            var next = node.Next;
            var task = node.Value;
            if (!resources.Fits(task.Spec.Resources))
            {
                // Held by running work: it waits here, and work that needs other things goes ahead.
                if (!task.WaitReported)
                {
                    task.WaitReported = true;
                    Events.Record(TaskEventKind.WaitingForResources, task.Spec);
                }

                node = next;
                continue;
            }

            var worker = placement.Place(task.Spec, WorkersFor(task.Spec.Id.Job));
            if (worker is null)
            {
                WantWorker(task.Spec, outbox);
                return;
            }

            _pending.Remove(node);
            _queued.Remove(task.Spec);
            node = next;
            if (!PinArgs(task, outbox))
            {
                continue;
            }

            if (task.Restoring > 0)
            {
                _parked.Add(task);
                _queued.Add(task.Spec);
                continue;
            }

            var spec = task.PinnedSpec();
            resources.Acquire(spec.Resources);
            worker.InFlight[spec.Id] = new InFlightTask(spec, [.. task.Pins], _handedOut++);
            Events.Record(TaskEventKind.Dispatched, spec, worker.Link.Process);
            outbox.Add(worker.Link, new ExecuteTask { Spec = spec });
            Latency?.Handed(task.QueuedAt);
        }
    }

    // The head task found no worker. Only when the node has a whole worker's CPUs free could another
    // worker run it: then those CPUs are held back by actors' reservations on the workers that have them.
    private void WantWorker(TaskSpec spec, Outbox outbox)
    {
        if (WorkerWanted is { } want && FreeCpus is var free && free >= slotsPerWorker - CpuTolerance)
        {
            want(packageOf(spec.Id.Job), free, outbox);
        }
    }

    // The workers that may take a job's task now: those that run its code (all, but where jobs bring
    // their own), and of those the idle ones only while the node has a free slot for them.
    private IEnumerable<WorkerState> WorkersFor(JobId job)
    {
        var package = packageOf(job);
        var free = FreeCpus;
        return _workers.Values.Where(w => (package is null || w.Serves(package)) && (w.Load > 0 || slotsPerWorker - HeldCpus(w) <= free + CpuTolerance));
    }

    /// <summary>Forgets a finished task; returns its spec, or null if unknown (a late reply after a crash).</summary>
    public TaskSpec? Complete(int process, TaskId task, Outbox outbox)
    {
        if (!_workers.TryGetValue(process, out var worker) || !worker.InFlight.Remove(task, out var inFlight))
        {
            return null;
        }

        worker.Blocked.Remove(task);
        resources.Release(inFlight.Spec.Resources);
        Unpin(inFlight.PinnedArgs, outbox);
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

    /// <summary>
    /// A process exited: if it was a worker, its tasks are re-queued or failed (see
    /// <see cref="RemoveWorker"/>); the queued tasks it owned go (nobody can receive their results).
    /// Returns the worker's state, or null when the process was no pool worker.
    /// </summary>
    public WorkerState? OnProcessExited(int process, string death, Outbox outbox, Action<TaskSpec> onRetry)
    {
        var worker = RemoveWorker(process, death, outbox, onRetry);
        DropQueuedTasksOf(addresses.Of(process), outbox);
        return worker;
    }

    /// <summary>Drops the queued tasks owned on a node that is gone.</summary>
    public void DropQueuedTasksOfNode(ulong node, Outbox outbox)
    {
        foreach (var owner in _pending.Concat(_parked).Select(t => t.Spec.Owner).Concat(_infeasible.Select(s => s.Owner)).Where(o => o.Node == node).Distinct().ToList())
        {
            DropQueuedTasksOf(owner, outbox);
        }
    }

    /// <summary>Drops the queued tasks of an owner that has died, here or on another node: nobody can receive their results.</summary>
    public void DropQueuedTasksOf(ProcessAddress owner, Outbox outbox)
    {
        for (var node = _pending.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.Spec.Owner == owner)
            {
                _pending.Remove(node);
                _queued.Remove(node.Value.Spec);
                Unpin(node.Value.Pins, outbox);
            }

            node = next;
        }

        foreach (var task in _parked.Where(t => t.Spec.Owner == owner).ToList())
        {
            _parked.Remove(task);
            _queued.Remove(task.Spec);
            Unpin(task.Pins, outbox);
        }

        _infeasible.RemoveAll(spec => spec.Owner == owner);
    }

    /// <summary>
    /// Removes a dead worker. Only the tasks it had started are charged a retry (re-queued with
    /// one more attempt while they have retries left, failed with <see cref="ErrorKind.WorkerCrashed"/>
    /// after that); the tasks still queued on it are re-queued free, in their order, at the front.
    /// A task re-queued free is marked <see cref="TaskSpec.ConfirmStart"/>: its start report may
    /// just not have left before it killed the worker, so it is re-run free at most once.
    /// <paramref name="death"/> says how the worker died, for errors
    /// ("worker process 3 (pid 42) was killed by SIGKILL (exit code 137)").
    /// </summary>
    public WorkerState? RemoveWorker(int process, string death, Outbox outbox, Action<TaskSpec> onRetry)
    {
        if (!_workers.Remove(process, out var worker))
        {
            return null;
        }

        var requeued = new List<TaskSpec>();
        foreach (var inFlight in worker.InFlight.Values.OrderBy(t => t.HandedOut))
        {
            resources.Release(inFlight.Spec.Resources);
            Unpin(inFlight.PinnedArgs, outbox);
            var spec = inFlight.Spec;
            if (spec.Owner == addresses.Of(process))
            {
                continue; // The task's owner died with the worker: nobody wants its results.
            }

            if (inFlight.CancelledByForce)
            {
                outbox.Add(spec.Owner, Failure(spec, ErrorKind.TaskCancelled, $"Task '{spec.DisplayName}' was cancelled by force: its {death}."));
            }
            else if (!inFlight.Started)
            {
                // A new spec, not a mutation: an in-process owner keeps the original as lineage.
                requeued.Add(spec.ConfirmStart ? spec : spec with { ConfirmStart = true });
            }
            else if (spec.Attempt < spec.MaxRetries)
            {
                var retry = spec with { Attempt = spec.Attempt + 1 };
                onRetry(retry);
                requeued.Add(retry);
            }
            else
            {
                outbox.Add(spec.Owner, Failure(spec, ErrorKind.WorkerCrashed,
                    $"Task '{spec.DisplayName}' was running when its {death}. That was attempt {spec.Attempt + 1} of {spec.MaxRetries + 1}: " +
                    $"a task is re-run up to TaskOptions.MaxRetries ({spec.MaxRetries}) times when its worker dies while running it. " +
                    "If the task itself brings its process down (native code, Environment.FailFast, running out of memory), fix that; " +
                    "if something else kills workers, raise MaxRetries."));
            }
        }

        for (var i = requeued.Count - 1; i >= 0; i--)
        {
            Enqueue(requeued[i], front: true);
        }

        return worker;
    }

    /// <summary>The worker began running a task it had queued: from now on its death is charged to the task.</summary>
    public void SetStarted(int process, TaskId task)
    {
        if (_workers.TryGetValue(process, out var worker) && worker.InFlight.TryGetValue(task, out var inFlight))
        {
            inFlight.Started = true;
            Events.Record(TaskEventKind.Started, inFlight.Spec, process);
        }
    }

    /// <summary>Fails every queued task: no worker can be started to run them.</summary>
    public void FailAllQueued(Outbox outbox, string reason) => FailQueued(_ => true, outbox, reason);

    /// <summary>Fails the queued tasks <paramref name="which"/> picks, saying <paramref name="reason"/>: no worker can ever run them here.</summary>
    public void FailQueued(Func<TaskSpec, bool> which, Outbox outbox, string reason)
    {
        var failed = _pending.Concat(_parked).Select(task => task.Spec).Concat(_infeasible).Where(which).ToList();
        foreach (var task in _pending.Concat(_parked).Where(t => which(t.Spec)).ToList())
        {
            Unpin(task.Pins, outbox);
            _pending.Remove(task);
            _parked.Remove(task);
            _queued.Remove(task.Spec);
        }

        foreach (var spec in failed)
        {
            outbox.Add(spec.Owner, Failure(spec, ErrorKind.WorkerCrashed,
                $"No worker process can run task {spec.DisplayName}: {reason}"));
        }

        _infeasible.RemoveAll(spec => which(spec));
    }

    /// <summary>
    /// Pins the task's stored arguments not pinned yet, by id: whatever version is current (a
    /// retried task may have re-created one; a restore may have moved it). Spilled ones are
    /// restored and counted in <see cref="QueuedTask.Restoring"/>. False when an argument is gone
    /// (the task has then failed and released its pins).
    /// </summary>
    private bool PinArgs(QueuedTask task, Outbox outbox)
    {
        var args = task.Spec.Args;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].Location != ValueLocation.Stored || task.Pinned[i] is not null)
            {
                continue;
            }

            switch (store.Pin(args[i].Id, (later, error) => OnArgumentRestored(task, error, later), outbox, out var pinned))
            {
                case PinAttempt.Pinned:
                    task.Pinned[i] = pinned;
                    break;
                case PinAttempt.Restoring:
                    task.Restoring++;
                    break;
                case PinAttempt.Missing when args[i].Node != 0 && !addresses.IsLocal(ProcessAddress.NodeOf(args[i].Node)) && PullArgument is { } pull:
                    // Stored on another node: a copy is pulled here, and the task waits aside like one whose argument is restored.
                    if (PullInto(task, pull, args[i], outbox) is { } failed)
                    {
                        FailOrReportLost(task, args[i].Id, failed, outbox);
                        return false;
                    }

                    break;
                default:
                    Fail(task, outbox, ErrorKind.ObjectLost,
                        $"Argument object {args[i].Id} of task {task.Spec.DisplayName} was freed before the task ran.");
                    return false;
            }
        }

        return true;
    }

    // Starts pulling an argument into this node's store; a pull that fails at once (no link to its node) returns why.
    private ErrorInfo? PullInto(QueuedTask task, Action<ObjectId, ulong, Action<Outbox, ErrorInfo?>, Outbox> pull, ObjectValue arg, Outbox outbox)
    {
        var started = false;
        ErrorInfo? failedAtOnce = null;
        task.Restoring++;
        pull(arg.Id, arg.Node, (later, error) =>
        {
            if (started)
            {
                OnArgumentPulled(task, arg.Id, error, later);
            }
            else
            {
                task.Restoring--;
                failedAtOnce = error ?? ErrorInfo.Of(ErrorKind.ObjectLost, $"Argument object {arg.Id} of task {task.Spec.DisplayName} could not be copied from node {arg.Node:x16}.");
            }
        }, outbox);
        started = true;
        return failedAtOnce;
    }

    private void OnArgumentRestored(QueuedTask task, ErrorInfo? error, Outbox outbox)
    {
        if (!_parked.Contains(task))
        {
            return; // Failed already, or dropped with its owner.
        }

        if (error is not null)
        {
            _parked.Remove(task);
            _queued.Remove(task.Spec);
            Fail(task, outbox, error.Kind, error.Message);
            return;
        }

        if (--task.Restoring == 0)
        {
            // The restored arguments are pinned when the task is handed out, at once if a worker has room.
            _parked.Remove(task);
            _pending.AddFirst(task);
            Dispatch(outbox);
        }
    }

    private void OnArgumentPulled(QueuedTask task, ObjectId arg, ErrorInfo? error, Outbox outbox)
    {
        if (error is not null && _parked.Remove(task))
        {
            _queued.Remove(task.Spec);
            FailOrReportLost(task, arg, error, outbox);
            return;
        }

        OnArgumentRestored(task, error, outbox);
    }

    // An argument on a node this node cannot reach (it died or left) is not the task's failure:
    // the task is dropped, uncharged, and its owner, told which argument, finds or makes it again
    // and submits the task once more. Any other failure to get an argument fails the task.
    private void FailOrReportLost(QueuedTask task, ObjectId arg, ErrorInfo error, Outbox outbox)
    {
        if (error.Kind != ErrorKind.ObjectUnreachable)
        {
            Fail(task, outbox, error.Kind, error.Message);
            return;
        }

        Unpin(task.Pins, outbox);
        Array.Clear(task.Pinned);
        outbox.Add(task.Spec.Owner, new ArgumentsLost
        {
            Task = task.Spec.Id,
            Objects = [arg],
            Attempt = task.Spec.Attempt,
            Target = task.Spec.Owner,
            Source = addresses.Node,
        });
    }

    private void Fail(QueuedTask task, Outbox outbox, ErrorKind kind, string message)
    {
        Unpin(task.Pins, outbox);
        Array.Clear(task.Pinned);
        outbox.Add(task.Spec.Owner, Failure(task.Spec, kind, message));
    }

    private void Unpin(IEnumerable<ObjectValue> pins, Outbox outbox)
    {
        foreach (var version in pins.ToList())
        {
            store.Unpin(version.Id, version.Offset, outbox);
        }
    }

    private TaskFinished Failure(TaskSpec spec, ErrorKind kind, string message)
    {
        var error = ErrorInfo.Of(kind, message, spec.Name);
        Activity?.TaskFinished(TaskOutcomes.Of(error));
        Events.Record(TaskEventKind.Failed, spec, error: error);
        return new TaskFinished { Task = spec.Id, Target = spec.Owner, Source = addresses.Node, Returns = [], Error = error };
    }
}
