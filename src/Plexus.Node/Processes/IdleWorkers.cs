using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Shrinks a pool back to its size once a burst is over: a worker that stays idle (no task in its
/// hands, no actor) for the idle timeout, while the pool has more joined workers than its size, is
/// asked to stop (<see cref="StopIfIdle"/>), as Ray reaps idle workers above its soft limit. Called
/// under the node's lock; the asks leave through the <see cref="Outbox"/>.
/// </summary>
/// <remarks>
/// Only the worker knows whether it can stop without loss (it may own objects, borrow others',
/// await tasks it submitted: see <c>Worker/IdleStop</c>), so the node asks and the worker decides.
/// While it asks, the node takes the worker out of its dispatcher (<see cref="TaskDispatcher.Withdraw"/>),
/// so neither a task nor an actor is handed to it meanwhile: what arrives goes to another worker or
/// waits for the answer. A worker that says no goes back and is asked again only after another
/// timeout; one that says yes exits, and its exit is no death (no retry, no replacement).
/// Idleness is sampled, not timed per task, so the dispatch path pays nothing for it: each sweep
/// (a quarter of the timeout apart) notes the workers seen idle, and a worker seen idle at every
/// sweep for the timeout is due, even if it ran tasks between two of them (the pool's other
/// workers then had room for that trickle).
/// </remarks>
/// <param name="size">The pool's size: it never drops below it.</param>
/// <param name="package">The pool's job package (null: the embedded pool), which names its workers.</param>
/// <param name="timeout">How long a worker stays idle before it is asked (<see cref="NodeOptions.WorkerIdleTimeout"/>).</param>
/// <param name="scheduler">Where the pool's workers take tasks.</param>
/// <param name="actorsOn">How many actors a worker hosts.</param>
/// <param name="time">The node's clock.</param>
internal sealed class IdleWorkers(int size, string? package, TimeSpan timeout, TaskDispatcher scheduler, Func<int, int> actorsOn, TimeProvider time)
{
    // Workers asked to stop that have not answered; withdrawn from the dispatcher until they do.
    private readonly Dictionary<int, WorkerState> _asked = [];

    /// <summary>How often the node sweeps for a <paramref name="timeout"/>: four samples per timeout bound how late a worker is asked.</summary>
    public static TimeSpan SweepPeriod(TimeSpan timeout) => timeout / 4;

    /// <summary>Workers asked to stop that have not answered: they still count as the pool's.</summary>
    public int Asked => _asked.Count;

    /// <summary>The workers asked to stop that have not answered: alive, and listed as the pool's idle workers.</summary>
    public IEnumerable<int> AskedProcesses => _asked.Keys;

    /// <summary>
    /// Notes which of the pool's workers are idle, and asks those idle for the timeout to stop,
    /// the longest idle first, as many as the pool has joined workers beyond its size.
    /// </summary>
    public void Sweep(Outbox outbox)
    {
        var now = time.GetTimestamp();
        var joined = 0;
        List<(int Process, WorkerState Worker)>? due = null;
        foreach (var (process, worker) in scheduler.Workers)
        {
            if (worker.Package != package)
            {
                continue;
            }

            joined++;
            if (worker.InFlight.Count > 0 || actorsOn(process) > 0)
            {
                worker.IdleSince = null;
                continue;
            }

            worker.IdleSince ??= now;
            if (time.GetElapsedTime(worker.IdleSince.Value, now) >= timeout)
            {
                (due ??= []).Add((process, worker));
            }
        }

        if (due is null || joined <= size)
        {
            return;
        }

        foreach (var (process, worker) in due.OrderBy(w => w.Worker.IdleSince).ThenByDescending(w => w.Process).Take(joined - size))
        {
            scheduler.Withdraw(process);
            _asked[process] = worker;
            outbox.Add(worker.Link, new StopIfIdle());
        }
    }

    /// <summary>
    /// A worker answered: on yes it is forgotten (it exits); on no it takes work again, and is
    /// asked again after another timeout. False when it was not asked (an answer nobody asked for is ignored).
    /// </summary>
    public bool Answered(int process, bool stopping)
    {
        if (!_asked.Remove(process, out var worker))
        {
            return false;
        }

        if (!stopping)
        {
            worker.IdleSince = time.GetTimestamp();
            scheduler.AddWorker(process, worker);
        }

        return true;
    }

    /// <summary>A process exited: true when it was asked and had not answered (its exit is then a death, not a stop).</summary>
    public bool Forget(int process) => _asked.Remove(process);

    /// <summary>The pool stops: the workers it was asking go back to the dispatcher, to be shut down with the others.</summary>
    public void ReturnAll()
    {
        foreach (var (process, worker) in _asked)
        {
            scheduler.AddWorker(process, worker);
        }

        _asked.Clear();
    }
}
