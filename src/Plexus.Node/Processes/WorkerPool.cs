using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Plexus.Node;

/// <summary>
/// The pool of worker processes that run tasks: started with the node, each replaced when it
/// dies. While the node starts, a worker that cannot start fails the start (<see cref="Ready"/>).
/// Later, a start that fails is tried again with a growing delay; after
/// <see cref="MaxFailedStarts"/> failures in a row with no worker left, queued tasks and pending
/// actors fail instead of waiting for a worker that never comes. Called under the node's lock;
/// processes are started through the <see cref="Outbox"/>, after the lock is released.
/// </summary>
/// <remarks>
/// Actors placed on pool workers reserve part of their CPUs, so the node can have CPUs free that
/// no worker can give a task (two workers each hosting a half-CPU actor leave a whole CPU free and
/// no worker with a whole CPU). The pool then grows (<see cref="Grow"/>), as Ray starts a worker
/// for a lease no idle worker can take: beyond its <paramref name="size"/> it keeps at most one
/// worker per worker of it whose actors reserve CPUs, and a dead worker is replaced only within
/// that bound. It shrinks back to its size when the workers beyond it stay idle
/// (<see cref="IdleWorkers"/>, <see cref="StopIdleWorkers"/>): each is asked, and stops only if
/// that loses nothing it owns or awaits.
/// </remarks>
/// <param name="size">How many workers the pool keeps.</param>
/// <param name="processes">Where process numbers come from.</param>
/// <param name="scheduler">Where joined workers take tasks.</param>
/// <param name="actors">Whose pending actors fail with the pool.</param>
/// <param name="start">Starts worker process n (outside the lock).</param>
/// <param name="restart">Takes the node's lock and starts again a worker whose start failed (<see cref="Restart"/>): a delayed restart.</param>
/// <param name="time">The node's clock, for the delay before a restart.</param>
/// <param name="logger">Where worker deaths are reported.</param>
/// <param name="idleTimeout">How long a worker beyond the pool's size stays idle before it is asked to stop (<see cref="NodeOptions.WorkerIdleTimeout"/>).</param>
/// <param name="package">The job package the pool's workers load (null: the embedded cluster's program, for every job).</param>
internal sealed class WorkerPool(
    int size, ProcessTable processes, TaskDispatcher scheduler, ActorManager actors, Action<int> start, Action restart, TimeProvider time, ILogger logger,
    TimeSpan idleTimeout, string? package = null)
{
    public const int MaxFailedStarts = 5;

    // Completed when the whole pool has joined; failed if a worker cannot start before that.
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Worker processes that exited before joining, in a row; reset when one joins.
    private int _failedStarts;
    // Set once the whole pool has joined: from then on failed starts are retried, not fatal.
    private bool _started;
    // Set when the node stops: nothing is started or restarted any more.
    private bool _stopped;
    // Workers started (or waiting for a delayed restart) that have not joined yet.
    private int _starting;
    // The workers beyond the pool's size that stay idle, and those asked to stop.
    private readonly IdleWorkers _idle = new(size, package, idleTimeout, scheduler, actors.ActorsOn, time);

    public int Size => size;

    /// <summary>The job package its workers load; null for the embedded cluster's pool.</summary>
    public string? Package => package;

    /// <summary>The pool's workers asked to stop as idle that have not answered: out of the dispatcher, yet alive.</summary>
    public IEnumerable<int> AskedToStop => _idle.AskedProcesses;

    /// <summary>Completes once every worker has joined; faults with <see cref="InvalidOperationException"/> if one cannot start first.</summary>
    public Task Ready => _ready.Task;

    /// <summary>
    /// Starts the pool of a job package that is ready on this node: the node is serving already, so
    /// a worker that cannot start is retried like a replacement, never a failed node start.
    /// </summary>
    public void StartServing(Outbox outbox)
    {
        _started = true;
        _ready.TrySetResult();
        Start(outbox);
    }

    /// <summary>Starts the whole pool (after the lock is released); a pool of none is ready at once.</summary>
    public void Start(Outbox outbox)
    {
        if (size == 0)
        {
            _started = true;
            _ready.TrySetResult();
        }

        for (var i = 0; i < size; i++)
        {
            StartWorker(outbox);
        }
    }

    /// <summary>Starts one more pool worker (after the lock is released).</summary>
    public void StartWorker(Outbox outbox)
    {
        if (_stopped)
        {
            return;
        }

        _starting++;
        Launch(outbox);
    }

    /// <summary>Starts again, after its delay, a worker whose start failed: it still counts as starting.</summary>
    public void Restart(Outbox outbox)
    {
        if (!_stopped)
        {
            Launch(outbox);
        }
    }

    /// <summary>
    /// A task fits the node's <paramref name="freeCpus"/> but none of this pool's workers (see
    /// <see cref="TaskDispatcher.WorkerWanted"/>): one more worker is started, unless the pool is
    /// at its bound (its size plus one per worker whose actors reserve CPUs) or the free CPUs are
    /// spoken for by the workers it is starting already.
    /// </summary>
    public void Grow(double freeCpus, Outbox outbox)
    {
        if (!_started || _stopped || (_starting + 1) * scheduler.SlotsPerWorker > freeCpus + TaskDispatcher.CpuTolerance || !BelowBound())
        {
            return;
        }

        logger.PoolGrew(package ?? "(embedded)", freeCpus);
        StartWorker(outbox);
    }

    /// <summary>A sweep for idle workers: those beyond the pool's size idle for the timeout are asked to stop (see <see cref="IdleWorkers"/>).</summary>
    public void StopIdleWorkers(Outbox outbox)
    {
        if (_started && !_stopped)
        {
            _idle.Sweep(outbox);
        }
    }

    /// <summary>
    /// A worker answered the ask to stop: on yes it exits and is forgotten (no death: nothing is
    /// retried or replaced); on no it takes work again. An answer nobody asked for is ignored.
    /// Returns whether the worker stops.
    /// </summary>
    public bool OnStopIfIdleAnswer(int process, bool stopping)
    {
        if (!_idle.Answered(process, stopping) || !stopping)
        {
            return false;
        }

        logger.WorkerStoppedIdle(process, processes.OsProcessOf(process)?.Id ?? 0, package ?? "(embedded)", idleTimeout, size);
        return true;
    }

    // Whether the pool keeps fewer workers (joined, asked to stop or starting) than its size plus one per worker whose actors reserve CPUs.
    private bool BelowBound()
    {
        var workers = _starting + _idle.Asked;
        var reserving = 0;
        foreach (var worker in scheduler.Workers.Values)
        {
            if (worker.Package == package)
            {
                workers++;
                reserving += worker.ReservedCpus > 0 ? 1 : 0;
            }
        }

        return workers < size + reserving;
    }

    private void Launch(Outbox outbox)
    {
        var process = processes.NextProcessNumber();
        outbox.Defer(() => start(process));
    }

    /// <summary>A pool worker joined: it takes tasks from now on.</summary>
    public void Joined(IProcessLink link)
    {
        _failedStarts = 0;
        _starting = Math.Max(0, _starting - 1);
        scheduler.AddWorker(link.Process, new WorkerState(link, package));
        if (!_started && scheduler.Workers.Count >= size)
        {
            _started = true;
            _ready.TrySetResult();
        }
    }

    /// <summary>A pool worker could not start, or exited before joining.</summary>
    public void OnStartFailed(string reason, Outbox outbox)
    {
        if (_stopped)
        {
            return;
        }

        if (!_started)
        {
            _starting = Math.Max(0, _starting - 1);
            _ready.TrySetException(new InvalidOperationException(reason));
            return;
        }

        var failures = ++_failedStarts;
        if (failures >= MaxFailedStarts && scheduler.Workers.Count == 0)
        {
            scheduler.FailAllQueued(outbox, reason);
            actors.FailPending(reason, outbox);
        }

        var delay = TimeSpan.FromMilliseconds(Math.Min(5_000, 50 * (1 << Math.Min(failures, 7))));
        outbox.Defer(() => _ = RestartAfterAsync(delay));
    }

    /// <summary>
    /// A process exited: a pool worker (<paramref name="worker"/> not null, no longer among the
    /// dispatcher's workers, or one asked to stop that had not answered) is replaced, unless the
    /// pool holds its bound without it (a worker it grew by, or one whose actors died with it). One
    /// that said yes to the ask is neither: it stopped.
    /// </summary>
    public void OnProcessExited(int process, Process? os, WorkerState? worker, Outbox outbox)
    {
        // A worker asked to stop is out of the dispatcher: it died if it exited before answering.
        var asked = _idle.Forget(process);
        if ((worker is null && !asked) || _stopped)
        {
            return;
        }

        logger.WorkerDied(process, os?.Id ?? 0, worker?.InFlight.Count ?? 0);
        if (BelowBound())
        {
            StartWorker(outbox);
        }
    }

    /// <summary>The node stops the pool: no worker is started again, and those asked to stop go back among the workers it shuts down.</summary>
    public void Stop()
    {
        _stopped = true;
        _idle.ReturnAll();
    }

    private async Task RestartAfterAsync(TimeSpan delay)
    {
        await Task.Delay(delay, time).ConfigureAwait(false);
        restart();
    }
}
