using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// The node's live actors: where each is hosted (or that it is pending, waiting for a worker with
/// its CPUs free), and the calls sent to it and not yet answered (so that they fail with
/// <c>ActorDiedException</c>, never hang, when it ends). Only touched under the node's lock.
/// </summary>
internal sealed class ActorDirectory
{
    /// <summary>The <see cref="HostedActor.Worker"/> of a pending actor: no process has it yet.</summary>
    public const int Unplaced = -1;

    private readonly Dictionary<TaskId, HostedActor> _actors = [];
    // Pending pool actors, oldest first: placed in that order as CPUs free up or workers join.
    private readonly List<TaskId> _unplaced = [];
    // Calls in flight: call id → actor.
    private readonly Dictionary<TaskId, TaskId> _calls = [];
    // Actors per hosting worker, for placement.
    private readonly Dictionary<int, int> _hosted = [];
    // CPUs reserved by actors per hosting worker.
    private readonly Dictionary<int, double> _reserved = [];
    // Why recently ended actors ended, so a late call says which (the oldest forgotten first).
    private readonly Dictionary<TaskId, (string Reason, ActorDeathCause Cause)> _endReasons = [];
    private readonly Queue<TaskId> _endOrder = new();

    /// <summary>How many ended actors' reasons are remembered.</summary>
    public const int RememberedEnds = 10_000;

    /// <summary>Why <paramref name="actor"/> ended, if it ended recently on this node.</summary>
    public (string Reason, ActorDeathCause Cause)? EndReason(TaskId actor) => _endReasons.TryGetValue(actor, out var end) ? end : null;

    /// <summary>CPUs reserved by the actors on <paramref name="worker"/>.</summary>
    public double ReservedOn(int worker) => _reserved.GetValueOrDefault(worker);

    public sealed class HostedActor(ActorSpec spec, int worker)
    {
        public ActorSpec Spec { get; } = spec;

        /// <summary>The process number of the worker hosting it; <see cref="Unplaced"/> while pending.</summary>
        public int Worker { get; set; } = worker;

        /// <summary>Calls sent and not answered: call id → caller.</summary>
        public Dictionary<TaskId, ProcessAddress> InFlight { get; } = [];

        /// <summary>Messages for an actor with no process yet: a pending one, or one whose dedicated process has not joined (null once it has a process).</summary>
        public List<Message>? Waiting { get; set; }

        /// <summary>Which life of a restartable actor this is (0 until it first restarts).</summary>
        public long Incarnation { get; set; }

        /// <summary>A restartable actor's calls in flight, kept to send again to its next incarnation: call id → call.</summary>
        public Dictionary<TaskId, ActorCall>? Kept { get; }
            = spec.Restartable ? [] : null;

        /// <summary>A restartable actor's highest answered sequence per (caller, scope), for <see cref="InterruptedCalls"/>.</summary>
        public Dictionary<(ProcessAddress Caller, TaskId Scope), long>? Answered { get; }
            = spec.Restartable ? [] : null;

        /// <summary>The calls in flight when its last incarnation died, while a supervisor decides whether it is built again; null otherwise.</summary>
        public List<TaskId>? Interrupted { get; set; }
    }

    // Dedicated processes by process number → their actor.
    private readonly Dictionary<int, TaskId> _dedicated = [];

    /// <summary>The process numbers of dedicated processes, started or joined, until they exit.</summary>
    public IEnumerable<int> DedicatedProcesses => _dedicated.Keys;

    /// <summary>The actor <paramref name="process"/> was started for; null for a pool worker.</summary>
    public TaskId? DedicatedActorOf(int process) => _dedicated.TryGetValue(process, out var actor) ? actor : null;

    /// <summary>A process exited: if it was dedicated, it is forgotten (kept until then, so one joining after its actor ended is told to stop).</summary>
    public void ForgetProcess(int process) => _dedicated.Remove(process);

    /// <summary>Registers an actor whose own process is starting; its messages (<paramref name="host"/> first) wait until it joins.</summary>
    public void AddDedicated(ActorSpec spec, int process, HostActor? host = null)
    {
        var actor = Register(spec, process);
        actor.Waiting = [host ?? new HostActor { Spec = spec }];
        actor.Incarnation = host?.Incarnation ?? 0;
        CountOn(process, spec.Cpus, +1);
        _dedicated[process] = spec.Id;
    }

    /// <summary>Registers a pool actor not placed yet; its messages (<paramref name="host"/> first) wait until <see cref="Place"/>.</summary>
    public HostedActor AddPending(ActorSpec spec, HostActor? host = null)
    {
        var actor = Register(spec, Unplaced);
        actor.Waiting = [host ?? new HostActor { Spec = spec }];
        actor.Incarnation = host?.Incarnation ?? 0;
        _unplaced.Add(spec.Id);
        return actor;
    }

    /// <summary>Whether any pool actor is pending.</summary>
    public bool HasPending => _unplaced.Count > 0;

    /// <summary>Pending pool actors, oldest first.</summary>
    public IEnumerable<HostedActor> Pending => _unplaced.Select(id => _actors[id]);

    /// <summary>Puts a pending actor on <paramref name="worker"/>; returns the messages that waited for it, to send there.</summary>
    public List<Message> Place(HostedActor actor, int worker)
    {
        _unplaced.Remove(actor.Spec.Id);
        actor.Worker = worker;
        CountOn(worker, actor.Spec.Cpus, +1);
        var waiting = actor.Waiting ?? [];
        actor.Waiting = null;
        return waiting;
    }

    /// <summary>A process joined: for a dedicated one, the messages that waited for it; null for a pool worker.</summary>
    public List<Message>? ProcessJoined(int process)
    {
        if (!_dedicated.TryGetValue(process, out var id) || _actors.GetValueOrDefault(id) is not { } actor)
        {
            return _dedicated.ContainsKey(process) ? [new Shutdown()] : null;
        }

        var waiting = actor.Waiting ?? [];
        actor.Waiting = null;
        return waiting;
    }

    public IEnumerable<HostedActor> All => _actors.Values;

    public HostedActor? Find(TaskId actor) => _actors.GetValueOrDefault(actor);

    public int HostedOn(int worker) => _hosted.GetValueOrDefault(worker);

    private HostedActor Register(ActorSpec spec, int worker)
    {
        var actor = new HostedActor(spec, worker);
        _actors[spec.Id] = actor;
        return actor;
    }

    // An actor arrives on (sign +1) or leaves (-1) a worker: its count and reserved CPUs there.
    private void CountOn(int worker, double cpus, int sign)
    {
        _hosted[worker] = HostedOn(worker) + sign;
        _reserved[worker] = Math.Max(0, ReservedOn(worker) + (sign * cpus));
    }

    public void AddCall(HostedActor actor, TaskId call, ProcessAddress caller)
    {
        actor.InFlight[call] = caller;
        _calls[call] = actor.Spec.Id;
    }

    /// <summary>A call sent to the actor; a restartable actor keeps it until it is answered.</summary>
    public void AddCall(HostedActor actor, ActorCall call)
    {
        AddCall(actor, call.Id, call.Caller);
        actor.Kept?.Add(call.Id, call);
    }

    /// <summary>Forgets an answered call; false when it is not an actor call in flight. <paramref name="host"/>: the worker that answered it.</summary>
    public bool CompleteCall(TaskId call, out int host)
    {
        host = 0;
        if (!_calls.Remove(call, out var actorId))
        {
            return false;
        }

        if (_actors.GetValueOrDefault(actorId) is { } actor)
        {
            host = actor.Worker;
            actor.InFlight.Remove(call);
            if (actor.Kept is { } kept && kept.Remove(call, out var answered))
            {
                var scope = (answered.Caller, answered.Scope);
                actor.Answered![scope] = Math.Max(actor.Answered.GetValueOrDefault(scope), answered.Sequence);
            }
        }

        return true;
    }

    /// <summary>Fails a call in flight (it is answered by the node); false when it was not in flight.</summary>
    public bool DropCall(HostedActor actor, TaskId call)
    {
        actor.Kept?.Remove(call);
        return actor.InFlight.Remove(call) && _calls.Remove(call);
    }

    /// <summary>
    /// A restartable actor's incarnation died: it has no process, its messages wait (as a pending
    /// actor's do) and its calls in flight are noted as interrupted until it is built again or ends.
    /// </summary>
    public void Interrupt(HostedActor actor)
    {
        CountOn(actor.Worker, actor.Spec.Cpus, -1);
        actor.Worker = Unplaced;
        actor.Waiting = [];
        actor.Interrupted = [.. actor.InFlight.Keys.Where(call => call != actor.Spec.Id)];
    }

    /// <summary>
    /// Its next incarnation: <paramref name="messages"/> go first, before what waited meanwhile; it
    /// is pending like a new pool actor, or has a new process of its own (<paramref name="dedicated"/>).
    /// </summary>
    public void Restart(HostedActor actor, long incarnation, List<Message> messages, int? dedicated)
    {
        actor.Incarnation = incarnation;
        actor.Interrupted = null;
        messages.AddRange(actor.Waiting ?? []);
        actor.Waiting = messages;
        if (dedicated is { } process)
        {
            actor.Worker = process;
            CountOn(process, actor.Spec.Cpus, +1);
            _dedicated[process] = actor.Spec.Id;
        }
        else
        {
            _unplaced.Add(actor.Spec.Id);
        }
    }

    /// <summary>Removes an actor, remembering why it ended; returns it (with its calls in flight) or null.</summary>
    public HostedActor? Remove(TaskId actor, string reason, ActorDeathCause cause)
    {
        if (Unregister(actor) is not { } hosted)
        {
            return null;
        }

        RememberEnd(actor, reason, cause);
        return hosted;
    }

    /// <summary>Remembers why <paramref name="actor"/> ended (here, or on a node that is gone), so that later calls say why.</summary>
    public void RememberEnd(TaskId actor, string reason, ActorDeathCause cause)
    {
        if (_endReasons.TryAdd(actor, (reason, cause)))
        {
            _endOrder.Enqueue(actor);
            if (_endOrder.Count > RememberedEnds)
            {
                _endReasons.Remove(_endOrder.Dequeue());
            }
        }
    }

    /// <summary>Removes a pending actor that goes on elsewhere (it did not end); returns it with the messages that waited for it, or null.</summary>
    public HostedActor? TakePending(TaskId actor) =>
        _actors.TryGetValue(actor, out var hosted) && hosted.Worker == Unplaced ? Unregister(actor) : null;

    // Forgets an actor, its name, its place and its calls.
    private HostedActor? Unregister(TaskId actor)
    {
        if (!_actors.Remove(actor, out var hosted))
        {
            return null;
        }

        if (hosted.Worker == Unplaced)
        {
            _unplaced.Remove(actor);
        }
        else
        {
            CountOn(hosted.Worker, hosted.Spec.Cpus, -1);
        }

        foreach (var call in hosted.InFlight.Keys)
        {
            _calls.Remove(call);
        }

        return hosted;
    }
}
