using System.Collections.Concurrent;

namespace Plexus.Core;

/// <summary>
/// The calls one caller (a task, an actor, or the driver's own code: a <see cref="TaskContext"/>)
/// makes to actors, numbered per actor so each actor runs them in the order they were made.
/// </summary>
/// <remarks>
/// A call leaves when its arguments are ready, so calls can leave out of order. Each call says
/// which earlier call it must follow (<see cref="Send"/>): none when every earlier call has left
/// already, since those arrive first (delivery from one process is in order) and the actor
/// queues calls as they arrive; otherwise the call just before it, which the actor has then not
/// queued yet, so it holds this one until that one is queued. The actor therefore keeps state
/// only for calls actually held, and one caller's pending argument never delays another caller.
/// Deciding what a call follows and handing it to the connection is one step under the
/// numbering's lock: otherwise two threads sending calls of one caller could hand them over in
/// the other order than they decided, and a call could wait for one that already went by.
/// </remarks>
internal sealed class ActorCallOrder(TaskId scope)
{
    // Per actor called, made on the first call: every hosted actor has an order, most never call.
    private ConcurrentDictionary<TaskId, Numbering>? _actors;

    /// <summary>The caller: every call it makes carries this id.</summary>
    public TaskId Scope { get; } = scope;

    /// <summary>Numbers the next call to <paramref name="actor"/>; it counts as not sent until <see cref="Send"/>.</summary>
    public long Next(TaskId actor) => Actors.GetOrAdd(actor, static _ => new Numbering()).Next();

    /// <summary>
    /// Call <paramref name="sequence"/> to <paramref name="actor"/> leaves now: <paramref name="send"/>
    /// gets the call it must follow (or 0) and hands it over, under the numbering's lock (it only enqueues).
    /// </summary>
    public void Send(TaskId actor, long sequence, Action<long> send) => Actors[actor].Send(sequence, send);

    private ConcurrentDictionary<TaskId, Numbering> Actors =>
        _actors ?? Interlocked.CompareExchange(ref _actors, new ConcurrentDictionary<TaskId, Numbering>(), null) ?? _actors;

    private sealed class Numbering
    {
        private readonly object _lock = new();
        // The last number given (guarded by _lock).
        private long _last;
        // Numbers given whose calls have not left yet, ascending (guarded by _lock).
        private readonly List<long> _unsent = [];

        public long Next()
        {
            lock (_lock)
            {
                _unsent.Add(++_last);
                return _last;
            }
        }

        public void Send(long sequence, Action<long> send)
        {
            lock (_lock)
            {
                _unsent.Remove(sequence);
                send(_unsent.Count > 0 && _unsent[0] < sequence ? sequence - 1 : 0);
            }
        }
    }
}
