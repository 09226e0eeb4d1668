using Plexus.Core;
using Plexus.Functions;
using Plexus.Protocol.Messages;

namespace Plexus.Worker;

/// <summary>
/// Runs the tasks a node hands to this worker, in arrival order, as long as their CPUs fit in the
/// worker's share (fractions share a slot). A task that awaits a future gives its CPUs back until
/// the future is ready (and tells the node, which may then hand over more work), so nested tasks
/// never deadlock for want of slots. The node hears of each start (<see cref="TaskStarted"/>), so
/// that when this process dies only the tasks it was running are charged a retry. Starts are sent
/// with <c>sendLazily</c>: a short task's start leaves with its result, in one write; a task that
/// goes asynchronous has it written at once (<c>flushToNode</c>, which completes once everything
/// sent to the node so far is written to its socket).
/// </summary>
internal sealed class TaskExecutor(CoreRuntime runtime, int slots, Action<Message, TimeSpan> sendLazily, Func<Task> flushToNode)
{
    // How long a start report may wait for another message to carry it. Longer means fewer timer
    // wake-ups under load (at most one per delay); a task that kills its worker within this time
    // may look queued to the node, which ConfirmStart bounds to one free re-run.
    private static readonly TimeSpan StartReportDelay = TimeSpan.FromMilliseconds(10);

    private readonly object _lock = new();
    // Tasks received and not yet started (guarded by _lock).
    private readonly Queue<TaskSpec> _queue = new();
    // The worker's CPUs (guarded by _lock).
    private readonly CpuBudget _cpus = new(slots);
    // The tasks taken from _queue and not finished, by id, for cancels (guarded by _lock).
    private readonly Dictionary<TaskId, TaskContext> _running = [];

    /// <summary>Whether no task waits here to start and none runs (one that awaits a future runs).</summary>
    public bool IsIdle
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count == 0 && _running.Count == 0;
            }
        }
    }

    /// <summary>An actor on this worker reserves CPUs (negative: gives them back), so tasks get fewer.</summary>
    public void Reserve(double cpus)
    {
        lock (_lock)
        {
            _cpus.Reserve(cpus);
        }

        Pump();
    }

    public void Enqueue(TaskSpec spec)
    {
        lock (_lock)
        {
            _queue.Enqueue(spec);
        }

        Pump();
    }

    /// <summary>
    /// The node cancels a task it handed here: one not started yet is dropped and answered
    /// cancelled; a running one has its token cancelled, and ends as its code decides. A recursive
    /// cancel cancels the tasks it submitted first; a forced one (always recursive: the node kills
    /// the worker itself otherwise) asks the node to kill this worker once those have left.
    /// </summary>
    public void Cancel(CancelTask cancel)
    {
        if (cancel.Recursive)
        {
            runtime.CancelChildrenOf(cancel.Task, cancel.Force);
        }

        if (cancel.Force)
        {
            // The node kills this worker to stop the task, once the cancels of its children have
            // left: they go first on the same connection.
            runtime.Send(new CancelTask { Task = cancel.Task, Force = true });
            return;
        }

        TaskSpec? dropped = null;
        TaskContext? running;
        lock (_lock)
        {
            if (!_running.TryGetValue(cancel.Task, out running) && _queue.Any(spec => spec.Id == cancel.Task))
            {
                var kept = _queue.Where(spec => spec.Id != cancel.Task).ToList();
                dropped = _queue.First(spec => spec.Id == cancel.Task);
                _queue.Clear();
                kept.ForEach(_queue.Enqueue);
            }
        }

        running?.Cancel();
        if (dropped is not null)
        {
            var target = new Invocation.Target(dropped.Id, dropped.Owner, dropped.ReturnCount, dropped.DisplayName);
            runtime.SendTo(dropped.Owner, Invocation.Failed(target, ErrorInfo.Of(ErrorKind.TaskCancelled,
                $"Task '{dropped.DisplayName}' was cancelled before it started.", dropped.Name)));
            Pump(); // The task at the head may have been the one that did not fit.
        }
    }

    private void Pump()
    {
        while (TryTakeNext() is { } next)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Executor.RunChainAsync(state.Next), (Executor: this, Next: next), preferLocal: false);
        }
    }

    // Strictly in order: a large task at the head is not overtaken by small ones behind it. The
    // start is queued under the lock, so it reaches the node before the task's TaskBlocked; and
    // the task is running from then on for a cancel.
    private (TaskSpec Spec, TaskContext Context)? TryTakeNext()
    {
        lock (_lock)
        {
            if (!_queue.TryPeek(out var head) || !_cpus.TryTake(head.Cpus))
            {
                return null;
            }

            sendLazily(runtime.Addressed(runtime.NodeAddress, new TaskStarted { Task = head.Id }), StartReportDelay);
            var context = new TaskContext(head.Id, OnWaitChanged) { Cpus = head.Cpus, Generation = head.Generation, Function = head.Function, Name = head.Name, TaskLogLevel = head.TaskLogLevel, Namespace = head.JobNamespace };
            _running[head.Id] = context;
            return (_queue.Dequeue(), context);
        }
    }

    // Runs tasks one after another on the same thread while the next one fits: no thread-pool hop
    // (and no wake-up of a parked thread) between short tasks.
    private async Task RunChainAsync((TaskSpec Spec, TaskContext Context) first)
    {
        (TaskSpec Spec, TaskContext Context)? next = first;
        while (next is { } task)
        {
            await RunAsync(task.Spec, task.Context).ConfigureAwait(false);
            lock (_lock)
            {
                _cpus.Release(task.Spec.Cpus);
                // Only this execution: an exception retry of the same task may already run here under its id.
                if (_running.GetValueOrDefault(task.Spec.Id) == task.Context)
                {
                    _running.Remove(task.Spec.Id);
                }
            }

            next = TryTakeNext();
        }
    }

    private async Task RunAsync(TaskSpec spec, TaskContext context)
    {
        if (spec.ConfirmStart)
        {
            // This task may have killed a worker before its start was reported: it runs only once
            // the node knows, so a crash now is charged to it.
            await flushToNode().ConfigureAwait(false);
        }

        TaskContext.Current = context;
        try
        {
            var running = Invocation.RunAsync(runtime, new Invocation.Target(spec.Id, spec.Owner, spec.ReturnCount, spec.DisplayName, spec.SplitsResult, ExceptionRetryPolicy.Of(spec), spec.Attempt),
                spec.Args, () => FunctionInvoker.Resolve(spec.Function), instance: null);
            if (!running.IsCompleted)
            {
                // The task went asynchronous (I/O, a timer, a future): it may run for long, and do
                // things others can see, so its start report leaves now rather than with its result
                // or when the lazy delay fires late on a loaded machine.
                _ = flushToNode();
            }

            await running.ConfigureAwait(false);
        }
        finally
        {
            TaskContext.Current = null;
        }
    }

    // Called by a task's context each time it starts or stops awaiting a future. The transitions
    // (first wait begins, last wait ends) and their messages are ordered under the lock, so the
    // CPU budget and the node always see blocked and unblocked alternate.
    private void OnWaitChanged(TaskContext context, int delta)
    {
        bool blocked;
        lock (_lock)
        {
            context.Waits += delta;
            if (delta > 0 && context.Waits == 1)
            {
                blocked = true;
                _cpus.Release(context.Cpus);
                runtime.Send(new TaskBlocked { Task = context.Id });
            }
            else if (delta < 0 && context.Waits == 0)
            {
                blocked = false;
                _cpus.Retake(context.Cpus);
                runtime.Send(new TaskUnblocked { Task = context.Id });
            }
            else
            {
                return;
            }
        }

        if (blocked)
        {
            Pump();
        }
    }
}
