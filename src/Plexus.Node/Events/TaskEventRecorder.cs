using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// The node's recent task and actor-call events, in a ring of fixed size: when it is full the
/// oldest event is overwritten and counted as dropped, so a node that nobody drains (or that runs
/// more tasks than a report carries) holds bounded memory. Recording writes one struct and reads
/// the clock; it allocates nothing.
/// </summary>
/// <remarks>
/// Not thread-safe: the node records and drains under its lock, as it calls its other parts.
/// Events hold references only to what lives long anyway (names and function descriptors, one
/// per function however many messages brought it: <see cref="EventSubjects"/>) or to what rare
/// steps describe (see <see cref="TaskEvent"/>); draining clears the slots so nothing is kept longer.
/// </remarks>
internal sealed class TaskEventRecorder
{
    /// <summary>A recorder that records nothing (<see cref="NodeOptions.RecordTaskEvents"/> off).</summary>
    public static TaskEventRecorder Disabled { get; } = new(0, TimeProvider.System);

    private readonly TimeProvider _time;
    private readonly TaskEvent[] _events;
    private readonly EventSubjects _subjects = new();
    // The array the last drain filled, once its batch gave it back (null while a batch holds it): the next drain's.
    private TaskEvent[]? _spare;
    // The slot of the oldest event held, and how many are held (at most the ring's length).
    private int _head;
    private int _count;

    // Wall-clock time and clock ticks read together once, to turn timestamps into times when reported.
    private readonly DateTimeOffset _epoch;
    private readonly long _epochTimestamp;

    /// <summary>Creates a recorder holding up to <paramref name="capacity"/> events; 0 records nothing.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative.</exception>
    public TaskEventRecorder(int capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _events = new TaskEvent[capacity];
        _epoch = time.GetUtcNow();
        _epochTimestamp = time.GetTimestamp();
    }

    /// <summary>Whether events are recorded at all.</summary>
    public bool Enabled => _events.Length > 0;

    /// <summary>How many events the ring holds at most.</summary>
    public int Capacity => _events.Length;

    /// <summary>Events overwritten before they were drained, since the recorder was made.</summary>
    public long Dropped { get; private set; }

    /// <summary>Records a step of a task.</summary>
    public void Record(TaskEventKind kind, TaskSpec spec, int worker = 0, ErrorInfo? error = null, ulong peer = 0)
    {
        if (Enabled)
        {
            // What it asks for only where the report says why it waits: see TaskEvent on holding specs.
            var subject = kind is TaskEventKind.WaitingForResources or TaskEventKind.Infeasible ? spec : Subject(spec.Name, spec.Function);
            Add(new TaskEvent(_time.GetTimestamp(), kind, spec.Id, spec.Attempt, subject, Actor: default, worker, error, peer));
        }
    }

    /// <summary>Records a step of an actor call.</summary>
    public void Record(TaskEventKind kind, ActorCall call, int worker = 0)
    {
        if (Enabled)
        {
            Add(new TaskEvent(_time.GetTimestamp(), kind, call.Id, call.Attempt, Subject(call.Name, call.Method), call.Actor, worker, Error: null, Peer: 0));
        }
    }

    // What names a task: its name if it was given one, else its function; the node's shared copy of either.
    private object Subject(string? name, FunctionDescriptor function) => name is null ? _subjects.Share(function) : _subjects.Share(name);

    /// <summary>Records that a runtime here still resolves a task's arguments (the note names it and what it waits for).</summary>
    public void RecordWaitingForArgs(TaskWaitingForArgs note)
    {
        if (Enabled)
        {
            Add(new TaskEvent(_time.GetTimestamp(), TaskEventKind.WaitingForArgs, note.Task, 0, note, Actor: default, 0, null, 0));
        }
    }

    /// <summary>Records the end of a task or call known by id only (its earlier steps named it).</summary>
    public void RecordEnd(TaskId task, int worker, ErrorInfo? error)
    {
        if (Enabled)
        {
            Add(new TaskEvent(_time.GetTimestamp(), error is null ? TaskEventKind.Finished : TaskEventKind.Failed, task, -1, null, Actor: default, worker, error, 0));
        }
    }

    /// <summary>How many events the ring holds now.</summary>
    public int Count => _count;

    /// <summary>
    /// Moves every event held, oldest first, into the recorder's spare array (a new one when a batch
    /// still holds it), to be given back with <see cref="GiveBack"/> once reported.
    /// </summary>
    public ArraySegment<TaskEvent> Drain()
    {
        if (_count == 0)
        {
            return ArraySegment<TaskEvent>.Empty;
        }

        var into = Interlocked.Exchange(ref _spare, null) ?? new TaskEvent[_events.Length];
        return new ArraySegment<TaskEvent>(into, 0, Drain(into));
    }

    /// <summary>
    /// Takes back an array <see cref="Drain()"/> filled, whose first <paramref name="count"/> events
    /// were reported: cleared (it would otherwise keep what they name alive), it is the next drain's.
    /// Thread-safe, unlike the rest: a batch is disposed outside the node's lock.
    /// </summary>
    public void GiveBack(TaskEvent[] array, int count)
    {
        Array.Clear(array, 0, count);
        Volatile.Write(ref _spare, array);
    }

    /// <summary>Moves every event held, oldest first, to the start of <paramref name="into"/> (at least <see cref="Count"/> long); returns how many.</summary>
    public int Drain(Span<TaskEvent> into)
    {
        var drained = _count;
        for (var i = 0; i < drained; i++)
        {
            ref var slot = ref _events[(_head + i) % _events.Length];
            into[i] = slot;
            slot = default;
        }

        _head = 0;
        _count = 0;
        return drained;
    }

    /// <summary>The wall-clock time of an event's <see cref="TaskEvent.Timestamp"/>.</summary>
    public DateTimeOffset TimeOf(long timestamp) => _epoch + _time.GetElapsedTime(_epochTimestamp, timestamp);

    private void Add(in TaskEvent e)
    {
        if (_count == _events.Length)
        {
            // Full: the oldest goes, so what is reported next is the most recent.
            _events[_head] = e;
            _head = (_head + 1) % _events.Length;
            Dropped++;
            return;
        }

        _events[(_head + _count) % _events.Length] = e;
        _count++;
    }
}
