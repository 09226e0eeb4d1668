using Microsoft.Extensions.Logging;
using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Actors: placed on the worker hosting the fewest, called through the node (which
/// forwards each call to the actor's worker, in the order each caller sent them), and ended by
/// kill, by the death of their worker, or by the death of their creator unless detached. It owns
/// the <see cref="ActorDirectory"/>; it reserves actors' CPUs on the scheduler's workers. Called
/// under the node's lock; its messages go through the <see cref="Outbox"/>, and a dedicated
/// process is started through it once the lock is released. A named actor comes here once its
/// name is reserved in the <see cref="IActorRegistry"/>, which it tells when the actor ends. A
/// restartable actor whose worker dies goes to <see cref="ActorRestarts"/> instead of ending.
/// </summary>
/// <param name="addresses">This node's process addresses, to check who speaks.</param>
/// <param name="processes">Who is connected; where a dedicated process gets its number.</param>
/// <param name="scheduler">The workers actors are placed on, whose CPUs they reserve.</param>
/// <param name="startProcess">Starts process n of a job package (outside the lock): an actor's dedicated process.</param>
/// <param name="packageOf">The package of a job whose code comes in a package (null for the embedded program's).</param>
/// <param name="names">Where the names of actors are kept: told when a named actor ends.</param>
/// <param name="supervisor">Decides whether a restartable actor that died is built again.</param>
/// <param name="locked">Runs a step under the node's lock (for the supervisor's answers that come later).</param>
/// <param name="logger">Where infeasible actors are reported.</param>
internal sealed class ActorManager(
    LocalAddresses addresses, ProcessTable processes, TaskDispatcher scheduler, Action<int, string?> startProcess, Func<JobId, string?> packageOf,
    IActorRegistry names, IActorSupervisor supervisor, Action<Action<Outbox>> locked, ILogger logger) : ActorRestarts.IHost
{
    private readonly ActorDirectory _actors = new();
    // Built on first use: it shares the directory, which a field initializer cannot hand it.
    private ActorRestarts? _restartsCreated;

    private ActorRestarts Restarts => _restartsCreated ??= new(_actors, supervisor, locked, addresses, processes, startProcess, packageOf);

    /// <summary>Where the steps of actor calls are recorded (queued, dispatched, ended). Default: nowhere.</summary>
    public TaskEventRecorder Events { get; init; } = TaskEventRecorder.Disabled;

    /// <summary>How many actors worker <paramref name="worker"/> hosts.</summary>
    public int ActorsOn(int worker) => _actors.HostedOn(worker);

    // A pool actor is answered at once and placed when a worker has its CPUs unreserved; until
    // then it is pending and its calls wait, like a task waiting for CPUs. One that asks for more
    // CPUs than a worker has is infeasible here and is reported, as an infeasible task is.
    // One held for another node (held) is registered pending, even if it asks for a process of its own; the node has reported it.
    public void OnCreateActor(ProcessAddress requester, CreateActor create, Outbox outbox, bool held = false)
    {
        if (create.Spec.Dedicated && !held)
        {
            CreateDedicated(create, requester, outbox);
            return;
        }

        if (_actors.Find(create.Spec.Id) is not null)
        {
            outbox.Add(requester, ActorRefused(create.RequestId, requester, ErrorKind.ActorDied, $"Actor {create.Spec.Id} exists already."));
            return;
        }

        outbox.Add(requester, new ActorCreated { Target = requester, Source = addresses.Node, RequestId = create.RequestId, Spec = create.Spec });
        AddPoolActor(create.Spec, host: null, reportInfeasible: !held, outbox);
    }

    // A pool actor, placed at once if a worker can take it, else pending; one no worker here can
    // ever hold is reported (a held one was reported by the node). Its construction answers like a
    // call (the worker reports the borrowed refs it keeps), so it is tracked as one.
    private void AddPoolActor(ActorSpec spec, HostActor? host, bool reportInfeasible, Outbox outbox)
    {
        var actor = _actors.AddPending(spec, host);
        _actors.AddCall(actor, spec.Id, spec.Owner);
        if (scheduler.WorkerCanHold(spec.Cpus))
        {
            TryPlace(actor, outbox);
        }
        else if (reportInfeasible)
        {
            logger.ActorInfeasible(spec.Id, spec.Constructor.Type, spec.Cpus, scheduler.SlotsPerWorker);
        }
    }

    // On the worker hosting the fewest actors among those with the actor's CPUs still unreserved (within
    // the node's CPUs), once the node has the GPUs and custom resources it asks free: it holds them while it lives.
    // A pending actor of a process of its own is one held for another node: it never goes on a pool worker.
    private void TryPlace(ActorDirectory.HostedActor actor, Outbox outbox)
    {
        if (actor.Spec.Dedicated || !scheduler.Resources.Fits(actor.Spec.Resources))
        {
            return;
        }

        var package = packageOf(actor.Spec.Id.Job);
        var worker = scheduler.Workers.Keys
            .Where(w => scheduler.Workers[w].Serves(package) && scheduler.WorkerCanHold(_actors.ReservedOn(w) + actor.Spec.Cpus)
                && scheduler.NodeHasRoom(scheduler.Workers[w], actor.Spec.Cpus))
            .OrderBy(_actors.HostedOn).ThenBy(w => w).Cast<int?>().FirstOrDefault();
        if (worker is not { } host)
        {
            return;
        }

        scheduler.Resources.Acquire(actor.Spec.Resources);
        foreach (var message in _actors.Place(actor, host))
        {
            outbox.Add(host, message);
        }

        scheduler.Workers[host].ReservedCpus = _actors.ReservedOn(host);
    }

    // The actor's own process starts after the lock is released; its HostActor and calls wait for it to join.
    private void CreateDedicated(CreateActor create, ProcessAddress requester, Outbox outbox)
    {
        StartDedicated(create.Spec, host: null, outbox);
        outbox.Add(requester, new ActorCreated { Target = requester, Source = addresses.Node, RequestId = create.RequestId, Spec = create.Spec });
    }

    private void StartDedicated(ActorSpec spec, HostActor? host, Outbox outbox)
    {
        var process = processes.NextProcessNumber();
        _actors.AddDedicated(spec, process, host);
        _actors.AddCall(_actors.Find(spec.Id)!, spec.Id, spec.Owner);
        var package = packageOf(spec.Id.Job);
        outbox.Defer(() => startProcess(process, package));
    }

    /// <summary>
    /// Builds here, as incarnation <paramref name="incarnation"/> (from <paramref name="checkpoint"/>),
    /// a restartable actor whose node died: like a creation nobody waits for (its construction is
    /// reported to its creator, as the first was), pending until a worker can hold it.
    /// </summary>
    public void OnRestartActor(ActorSpec spec, long incarnation, byte[]? checkpoint, Outbox outbox)
    {
        var host = new HostActor { Spec = spec, Incarnation = incarnation, Checkpoint = checkpoint };
        if (spec.Dedicated)
        {
            StartDedicated(spec, host, outbox);
            return;
        }

        AddPoolActor(spec, host, reportInfeasible: true, outbox);
    }

    // To the actor's worker, or kept until its dedicated process joins.
    private void SendToActor(ActorDirectory.HostedActor actor, Message message, Outbox outbox)
    {
        if (actor.Waiting is { } waiting)
        {
            waiting.Add(message);
        }
        else
        {
            outbox.Add(actor.Worker, message);
        }
    }

    public void OnCallActor(CallActor message, Outbox outbox)
    {
        if (_actors.Find(message.Call.Actor) is not { } actor)
        {
            var (reason, cause) = _actors.EndReason(message.Call.Actor)
                ?? ($"Actor {message.Call.Actor} is not alive (this node does not know it, or ended it long ago).", ActorDeathCause.Unknown);
            outbox.Add(message.Call.Caller, ActorDead(message.Call.Id, message.Call.Caller, reason, cause));
            return;
        }

        if (!message.Call.Cancelled)
        {
            _actors.AddCall(actor, message.Call);
            Events.Record(actor.Waiting is null ? TaskEventKind.Dispatched : TaskEventKind.Queued, message.Call, actor.Waiting is null ? actor.Worker : 0);
        }

        SendToActor(actor, message, outbox);
    }

    // A pool worker joined, or an actor gave its CPUs back: pending actors that fit now are placed, oldest first.
    public void PlaceWaitingActors(Outbox outbox)
    {
        if (!_actors.HasPending)
        {
            return; // The common case, after every finished task: nothing to copy or look at.
        }

        foreach (var actor in _actors.Pending.ToList())
        {
            TryPlace(actor, outbox);
        }
    }

    /// <summary>The pool cannot start: pending actors end (their calls fail) instead of waiting forever.</summary>
    public void FailPending(string reason, Outbox outbox, Func<ActorSpec, bool>? which = null)
    {
        foreach (var actor in _actors.Pending.Where(a => which?.Invoke(a.Spec) ?? true).ToList())
        {
            EndActor(actor.Spec.Id, reason, ActorDeathCause.WorkerDied, outbox, tellWorker: false);
        }
    }

    /// <summary>A worker answered an actor call: false when it was not one in flight (a late answer from a killed actor).</summary>
    public bool CompleteCall(TaskFinished finished, Outbox outbox)
    {
        if (!_actors.CompleteCall(finished.Task, out var host))
        {
            return false;
        }

        Events.RecordEnd(finished.Task, host, finished.Error);

        // A constructor that threw: the actor is dead, its name free, and later calls say why.
        if (finished.Error is { } error && _actors.Find(finished.Task) is not null)
        {
            EndActor(finished.Task, error.Message, ActorDeathCause.ConstructorFailed, outbox, tellWorker: true);
        }

        return true;
    }

    public void OnKillActor(KillActor kill, Outbox outbox) =>
        EndActor(kill.Actor, string.IsNullOrWhiteSpace(kill.Reason) ? $"Actor {kill.Actor} was killed." : kill.Reason, (ActorDeathCause)kill.Cause, outbox, tellWorker: true);

    private void EndActor(TaskId actorId, string reason, ActorDeathCause cause, Outbox outbox, bool tellWorker)
    {
        if (_actors.Remove(actorId, reason, cause) is not { } actor)
        {
            return;
        }

        if (actor.Spec.Name is not null)
        {
            names.Ended(actor.Spec, addresses.Node.Node, reason);
        }

        if (actor.Spec.Restartable)
        {
            supervisor.Ended(actor.Spec, addresses.Node.Node);
        }

        if (actor.Worker != ActorDirectory.Unplaced && !actor.Spec.Dedicated)
        {
            scheduler.Resources.Release(actor.Spec.Resources);
            if (scheduler.Workers.TryGetValue(actor.Worker, out var worker))
            {
                worker.ReservedCpus = _actors.ReservedOn(actor.Worker);
            }

            // What it held goes to pending actors first, then to tasks: a task is never handed to a worker
            // whose CPUs an actor then reserves (it would wait there for as long as the actor lives).
            PlaceWaitingActors(outbox);
            scheduler.Dispatch(outbox);
        }

        if (tellWorker && processes.IsConnected(actor.Worker))
        {
            outbox.Add(actor.Worker, new KillActor { Actor = actorId, Reason = reason, Cause = (byte)cause });
            if (actor.Spec.Dedicated)
            {
                // Its process hosted it alone: it goes too.
                outbox.Add(actor.Worker, new Shutdown());
            }
        }

        foreach (var (call, caller) in actor.InFlight)
        {
            outbox.Add(caller, ActorDead(call, caller, reason, cause));
        }
    }

    /// <summary>
    /// A process exited: the actors it hosted end, or are built again when they have restarts left
    /// (see <see cref="Interrupt"/>), and the owned actors it created end.
    /// </summary>
    public void OnProcessExited(int process, Outbox outbox)
    {
        _actors.ForgetProcess(process);
        var address = addresses.Of(process);
        foreach (var actor in _actors.All.Where(a => a.Worker == process || (a.Spec.Owner == address && !a.Spec.Detached)).ToList())
        {
            if (actor.Spec.Owner == address && !actor.Spec.Detached)
            {
                EndActor(actor.Spec.Id, $"Actor {actor.Spec.Id} ended because its creator exited (it is not detached).", ActorDeathCause.CreatorExited,
                    outbox, tellWorker: actor.Worker != process);
            }
            else if (actor.Spec.Restartable)
            {
                Interrupt(actor, "its worker process died", ActorDeathCause.WorkerDied, outbox);
            }
            else
            {
                EndActor(actor.Spec.Id, $"Actor {actor.Spec.Id} died with its worker process.", ActorDeathCause.WorkerDied, outbox, tellWorker: false);
            }
        }
    }

    // A restartable actor's incarnation died: what it held on its worker is free while the supervisor decides (ActorRestarts).
    private void Interrupt(ActorDirectory.HostedActor actor, string what, ActorDeathCause cause, Outbox outbox)
    {
        if (!actor.Spec.Dedicated)
        {
            scheduler.Resources.Release(actor.Spec.Resources);
        }

        Restarts.Interrupt(actor, what, cause, this, outbox);
    }

    /// <inheritdoc cref="ActorRestarts.OnSaveCheckpoint"/>
    public void OnSaveCheckpoint(int from, SaveCheckpoint save, Outbox outbox) => Restarts.OnSaveCheckpoint(from, save, outbox);

    void ActorRestarts.IHost.End(TaskId actor, string reason, ActorDeathCause cause, Outbox outbox) => EndActor(actor, reason, cause, outbox, tellWorker: false);

    void ActorRestarts.IHost.Place(ActorDirectory.HostedActor actor, Outbox outbox) => TryPlace(actor, outbox);

    /// <summary>Runtimes of other nodes exited (<paramref name="gone"/>): the owned actors they created end.</summary>
    public void OnRemoteOwnersExited(Func<ProcessAddress, bool> gone, Outbox outbox)
    {
        foreach (var actor in _actors.All.Where(a => !a.Spec.Detached && !addresses.IsLocal(a.Spec.Owner) && gone(a.Spec.Owner)).ToList())
        {
            EndActor(actor.Spec.Id, $"Actor {actor.Spec.Id} ended because its creator exited (it is not detached).", ActorDeathCause.CreatorExited,
                outbox, tellWorker: true);
        }
    }

    /// <summary>The spec of <paramref name="actor"/> while it is pending here (not placed on a worker yet); null otherwise.</summary>
    public ActorSpec? PendingSpec(TaskId actor) => _actors.Find(actor) is { Worker: ActorDirectory.Unplaced } pending ? pending.Spec : null;

    /// <summary>
    /// Gives up a pending actor that another node hosts from now on (it does not end, its calls
    /// do not fail): returns the calls that waited for it, in their order, to send on; null when it is not pending here.
    /// </summary>
    public List<CallActor>? TakePending(TaskId actor) => _actors.TakePending(actor)?.Waiting?.OfType<CallActor>().ToList();

    /// <summary>Whether this node hosts an actor of job <paramref name="job"/>.</summary>
    public bool HostsAnyOf(JobId job) => _actors.All.Any(a => a.Spec.Id.Job == job);

    /// <summary>Whether this node hosts actor <paramref name="actor"/> (alive, or waiting to be placed).</summary>
    public bool Hosts(TaskId actor) => _actors.Find(actor) is not null;

    /// <summary>The answer to a call for an actor not alive here.</summary>
    public TaskFinished NotAlive(CallActor message)
    {
        var (reason, cause) = _actors.EndReason(message.Call.Actor)
            ?? ($"Actor {message.Call.Actor} is not alive (no node knows it, or it ended long ago).", ActorDeathCause.Unknown);
        return ActorDead(message.Call.Id, message.Call.Caller, reason, cause);
    }

    /// <summary>An actor hosted on another node ended (its node died, say): later calls from here say why.</summary>
    public void RememberEnded(TaskId actor, string reason, ActorDeathCause cause) => _actors.RememberEnd(actor, reason, cause);

    /// <summary>
    /// A process joined: for an actor's dedicated process, the messages that waited for it (or a
    /// <see cref="Shutdown"/> if its actor ended meanwhile); null for a pool worker.
    /// </summary>
    public List<Message>? ProcessJoined(int process) => _actors.ProcessJoined(process);

    /// <summary>
    /// A process could not start, or exited before joining: if it was an actor's dedicated process
    /// (it is not started again), its actor ends, saying why, and this returns true.
    /// </summary>
    public bool OnStartFailed(int process, string reason, Outbox outbox)
    {
        if (_actors.DedicatedActorOf(process) is not { } actor)
        {
            return false;
        }

        EndActor(actor, $"Actor {actor} could not start its dedicated process: {reason}", ActorDeathCause.WorkerDied, outbox, tellWorker: false);
        _actors.ForgetProcess(process);
        return true;
    }

    /// <summary>The process numbers of the actors' dedicated processes (told to stop when the node stops).</summary>
    public IEnumerable<int> DedicatedProcesses => _actors.DedicatedProcesses;

    /// <summary>Actors hosted here on a process, and those pending here (waiting for CPUs, a process or a node), for the node's metrics.</summary>
    public (int Alive, int Pending) CountByState()
    {
        var pending = _actors.All.Count(a => a.Worker == ActorDirectory.Unplaced);
        return (_actors.All.Count() - pending, pending);
    }

    public void OnListActors(int from, ListActors list, Outbox outbox) =>
        outbox.Add(from, new ActorsListed
        {
            Target = addresses.Of(from),
            Source = addresses.Node,
            RequestId = list.RequestId,
            Actors = [.. _actors.All.Select(a => a.Spec)],
        });

    private ActorCreated ActorRefused(long requestId, ProcessAddress requester, ErrorKind kind, string message) => new()
    {
        Target = requester,
        Source = addresses.Node,
        RequestId = requestId,
        Error = ErrorInfo.Of(kind, message),
    };

    private TaskFinished ActorDead(TaskId call, ProcessAddress caller, string reason, ActorDeathCause cause) =>
        ActorDeathAnswer.For(addresses.Node, call, caller, reason, cause);
}
