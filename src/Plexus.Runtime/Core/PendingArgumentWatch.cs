using System.Collections.Concurrent;
using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>
/// The tasks whose arguments this runtime still resolves (futures not ready), so that one waiting
/// past <see cref="Threshold"/> is told to the node once (<see cref="TaskWaitingForArgs"/>), and the
/// state API lists it as pending its arguments. Off the hot path: a task whose arguments are ready
/// at submission never comes here, one that waits costs an entry, and a single timer (made on first
/// use) looks at the entries twice per threshold. A task that waits less than that is never told.
/// </summary>
internal sealed class PendingArgumentWatch : IDisposable
{
    /// <summary>How long a task waits for its arguments before its node is told, by default.</summary>
    public static readonly TimeSpan DefaultThreshold = TimeSpan.FromSeconds(1);

    /// <summary>How many of the ids it waits for a note names (it counts them all).</summary>
    public const int IdsNamed = 3;

    private readonly Action<Message> _send;
    private readonly TimeProvider _time;
    // The tasks waiting for their arguments now.
    private readonly ConcurrentDictionary<TaskId, WaitingTask> _waiting = new();
    // Made on the first task that waits; null before (most runtimes never need it) and once disposed.
    private ITimer? _timer;
    private int _disposed;

    public PendingArgumentWatch(Action<Message> send, TimeProvider time, TimeSpan threshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(threshold, TimeSpan.Zero);
        _send = send;
        _time = time;
        Threshold = threshold;
    }

    public TimeSpan Threshold { get; }

    /// <summary>Starts watching a task that waits for <paramref name="waitingFor"/>; call <see cref="Resolved"/> before it is submitted.</summary>
    public WaitingTask Add(TaskId task, string name, IReadOnlyList<ObjectId> waitingFor)
    {
        var waiting = new WaitingTask(task, name, [.. waitingFor.Take(IdsNamed)], waitingFor.Count, _time.GetTimestamp());
        _waiting[task] = waiting;
        if (Volatile.Read(ref _timer) is null && Volatile.Read(ref _disposed) == 0)
        {
            var period = Threshold / 2;
            var timer = _time.CreateTimer(_ => Sweep(), null, period, period);
            if (Interlocked.CompareExchange(ref _timer, timer, null) is not null)
            {
                timer.Dispose();
            }
        }

        return waiting;
    }

    /// <summary>
    /// The task's arguments are resolved: it is no longer watched. Its note, if one is being sent,
    /// is sent before this returns, so it reaches the node before the task does.
    /// </summary>
    public void Resolved(WaitingTask waiting)
    {
        lock (waiting)
        {
            waiting.Done = true;
        }

        _waiting.TryRemove(new KeyValuePair<TaskId, WaitingTask>(waiting.Task, waiting));
    }

    /// <summary>Tells the node of each task that has waited past the threshold and was not told of yet.</summary>
    public void Sweep()
    {
        foreach (var (_, waiting) in _waiting)
        {
            if (waiting.Noted || _time.GetElapsedTime(waiting.Since) < Threshold)
            {
                continue;
            }

            lock (waiting)
            {
                if (waiting.Done || waiting.Noted)
                {
                    continue;
                }

                waiting.Noted = true;
                try
                {
                    _send(new TaskWaitingForArgs { Task = waiting.Task, Name = waiting.Name, WaitingFor = waiting.Ids, Count = waiting.Count });
                }
                catch (ObjectDisposedException)
                {
                    // The runtime closed: its tasks fail, there is nothing to tell.
                    return;
                }
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Interlocked.Exchange(ref _timer, null)?.Dispose();
        }
    }
}

/// <summary>A task waiting for its arguments, as <see cref="PendingArgumentWatch"/> keeps it.</summary>
internal sealed class WaitingTask(TaskId task, string name, ObjectId[] ids, int count, long since)
{
    public TaskId Task { get; } = task;

    public string Name { get; } = name;

    // The first few ids it waits for, and how many in all.
    public ObjectId[] Ids { get; } = ids;

    public int Count { get; } = count;

    // When it began to wait (TimeProvider timestamp).
    public long Since { get; } = since;

    // Its arguments are resolved (set under the object's lock): no note may leave after this.
    public bool Done { get; set; }

    // Its node was told (set under the object's lock).
    public bool Noted { get; set; }
}
