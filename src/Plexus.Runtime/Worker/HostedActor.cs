using Plexus.Core;
using Plexus.Functions;
using Plexus.Protocol.Messages;

namespace Plexus.Worker;

/// <summary>
/// One actor living in this worker: its instance and its mailbox. Calls from one caller (a task,
/// an actor, a driver) run in the order it made them; a call that arrives before one it must follow
/// is held until that one is queued (see <see cref="ActorCallOrder"/>), so callers never wait for
/// each other's missing calls; at most <see cref="ActorSpec.MaxConcurrency"/> run at once. A
/// checkpoint (<see cref="ActorCheckpoints"/>) runs alone: calls wait while one is due or running,
/// and it waits for the running ones to finish. Idle, an actor is this object, its instance and a
/// few small collections.
/// </summary>
internal sealed class HostedActor(CoreRuntime runtime, HostActor host)
{
    private readonly object _lock = new();
    // Calls that arrived before the call they must follow, by that call (guarded by _lock).
    private Dictionary<(ProcessAddress Caller, TaskId Scope, long Sequence), ActorCall>? _held;
    // The calls this actor's own code makes: the actor is one caller, whichever method makes them.
    private readonly ActorCallOrder _calls = new(host.Spec.Id);
    private readonly ActorCheckpoints _checkpoints = new(runtime, host.Spec, host.Incarnation);
    // Calls ready to run, in order (guarded by _lock).
    private readonly Queue<ActorCall> _ready = new();
    private int _running;
    // A periodic checkpoint is due (after the calls running now finish), or a checkpoint runs (guarded by _lock).
    private bool _checkpointDue;
    private bool _saving;
    // The instance once constructed; or why construction failed; or why the actor ended.
    private object? _instance;
    private ErrorInfo? _dead;
    private bool _constructed;
    // Stored constructor arguments a zero-copy parameter still reads through (guarded by _lock).
    private IReadOnlyList<ObjectValue> _pins = [];

    public ActorSpec Spec { get; } = host.Spec;

    /// <summary>Builds the instance on the thread pool once its arguments exist; calls wait until then.</summary>
    public void Start() => ThreadPool.UnsafeQueueUserWorkItem(static actor => _ = actor.ConstructAsync(), this, preferLocal: false);

    private async Task ConstructAsync()
    {
        var built = await ActorConstruction.BuildAsync(runtime, Spec, _calls, IsEnded).ConfigureAwait(false);
        if (built.Instance is { } instance && host.Checkpoint is { } state)
        {
            built = Restored(built, instance, state);
        }

        _checkpoints.Instance = built.Instance;
        bool ended;
        lock (_lock)
        {
            ended = _dead is not null;
            _instance = ended ? null : built.Instance;
            _dead ??= built.Failure;
            _constructed = true;
            _pins = built.Pins;
        }

        if (ended)
        {
            // Killed while its arguments were awaited: what it reads goes now.
            ReleasePins();
        }

        // The creator registers this worker as the borrower of refs the instance keeps, and lets go of its arguments.
        var target = new Invocation.Target(Spec.Id, Spec.Owner, 0, Spec.Constructor.Type);
        var borrowed = runtime.References.TakeUnregistered(built.Received);
        Report(built.Failure is null ? new TaskFinished { Target = Spec.Owner, Task = Spec.Id, Returns = [], Borrowed = borrowed }
            : Invocation.Failed(target, built.Failure, borrowed));
        Pump();
    }

    // A restarted instance takes its last checkpoint's state before any call; if that throws, the actor ends as if its constructor had.
    private ActorConstruction.Built Restored(ActorConstruction.Built built, object instance, byte[] state)
    {
        try
        {
            ActorCheckpoints.Restore(instance, state, runtime);
            return built;
        }
        catch (Exception e)
        {
            var message = $"Actor {Spec.Id} ({Spec.Constructor.Type}) was restarted, but restoring its checkpoint threw {e.GetType().FullName}: {e.Message}";
            var failure = new ErrorInfo(ErrorKind.ActorDied, message, e.StackTrace ?? string.Empty, Spec.Name) { Cause = (byte)ActorDeathCause.ConstructorFailed };
            return built with { Instance = null, Failure = failure };
        }
    }

    private bool IsEnded()
    {
        lock (_lock)
        {
            return _dead is not null;
        }
    }

    // Unpins what the constructor's zero-copy parameters read through, once the instance is gone.
    private void ReleasePins()
    {
        IReadOnlyList<ObjectValue> pins;
        lock (_lock)
        {
            pins = _pins;
            _pins = [];
        }

        foreach (var pin in pins)
        {
            runtime.Store.Unpin(pin);
        }
    }

    /// <summary>Takes a call: runs it now, when its turn comes, or fails it if the actor is dead.</summary>
    public void Enqueue(ActorCall call)
    {
        lock (_lock)
        {
            if (call.After != 0)
            {
                (_held ??= [])[(call.Caller, call.Scope, call.After)] = call;
                return;
            }

            _ready.Enqueue(call);
            while (_held is not null && _held.Remove((call.Caller, call.Scope, call.Sequence), out var next))
            {
                _ready.Enqueue(next);
                call = next;
            }
        }

        Pump();
    }

    /// <summary>Drops the calls held for a caller that has exited: the call they follow will never come.</summary>
    public void ForgetCaller(ProcessAddress caller)
    {
        lock (_lock)
        {
            if (_held is null)
            {
                return;
            }

            foreach (var key in _held.Keys.Where(k => k.Caller == caller).ToList())
            {
                _held.Remove(key);
            }
        }
    }

    /// <summary>Ends the actor: calls not started fail with <paramref name="error"/>; running ones finish.</summary>
    public void End(ErrorInfo error)
    {
        List<ActorCall> dropped;
        lock (_lock)
        {
            _dead ??= error;
            dropped = [.. _ready];
            if (_held is not null)
            {
                dropped.AddRange(_held.Values);
            }

            _ready.Clear();
            _held = null;
            _instance = null;
        }

        ReleasePins();

        foreach (var call in dropped)
        {
            Fail(call, error);
        }
    }

    private void Pump()
    {
        while (true)
        {
            ActorCall call;
            object? instance;
            ErrorInfo? dead;
            lock (_lock)
            {
                if (!_constructed || (_dead is null && (_saving || ((_checkpointDue || NextIsCheckpointRequest()) && _running > 0))))
                {
                    return;
                }

                if (_dead is null && _checkpointDue)
                {
                    _checkpointDue = false;
                    _saving = true;
                    ThreadPool.UnsafeQueueUserWorkItem(static actor => _ = actor.SavePeriodicAsync(), this, preferLocal: false);
                    return;
                }

                if (_ready.Count == 0 || (_dead is null && _running >= Spec.MaxConcurrency))
                {
                    return;
                }

                call = _ready.Dequeue();
                instance = _instance;
                dead = _dead;
                if (dead is null)
                {
                    _running++;
                    _saving = IsCheckpointRequest(call);
                }
            }

            if (dead is not null)
            {
                Fail(call, dead);
                continue;
            }

            if (call.Cancelled)
            {
                lock (_lock)
                {
                    _running--;
                    _saving = false;
                }

                continue;
            }

            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Actor.RunAsync(state.Call, state.Instance!), (Actor: this, Call: call, Instance: instance), preferLocal: false);
        }
    }

    private async Task RunAsync(ActorCall call, object instance)
    {
        TaskContext.Current = new TaskContext(call.Id, onWaitChanged: null) { Calls = _calls, ActingJob = Spec.Id.Job, Function = call.Method, Name = call.Name, Actor = Spec.Id, TaskLogLevel = Spec.TaskLogLevel, Namespace = Spec.JobNamespace };
        var checkpoint = IsCheckpointRequest(call);
        try
        {
            await Invocation.RunAsync(runtime, new Invocation.Target(call.Id, call.Caller, 1, call.Name ?? call.Method.Method),
                call.Args, () => FunctionInvoker.Resolve(call.Method), checkpoint ? _checkpoints : instance).ConfigureAwait(false);
        }
        finally
        {
            TaskContext.Current = null;
            lock (_lock)
            {
                _running--;
                _saving = false;
                _checkpointDue |= !checkpoint && _checkpoints.CallCompleted();
            }

            Pump();
        }
    }

    // Every CheckpointEvery calls, with none running. A failure costs this checkpoint only: the
    // actor goes on, and the next one tries again. The worker's standard error reaches the driver.
    private async Task SavePeriodicAsync()
    {
        try
        {
            await _checkpoints.SaveAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"Plexus: the periodic checkpoint of actor {Spec.Id} ({Spec.Constructor.Type}) failed and is skipped: {e.Message}")
                .ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                _saving = false;
            }

            Pump();
        }
    }

    // Under _lock.
    private bool NextIsCheckpointRequest() => _ready.TryPeek(out var next) && IsCheckpointRequest(next);

    private static bool IsCheckpointRequest(ActorCall call) => !call.Cancelled && call.Method == ActorCheckpoints.Request;

    private void Fail(ActorCall call, ErrorInfo error)
    {
        if (!call.Cancelled)
        {
            Report(Invocation.Failed(new Invocation.Target(call.Id, call.Caller, 1, call.Method.Method), error));
        }
    }

    private void Report(TaskFinished finished)
    {
        try
        {
            runtime.SendTo(finished.Target, finished);
        }
        catch (ObjectDisposedException)
        {
            // The node is gone; this worker is exiting.
        }
    }
}
