using Microsoft.Extensions.Logging;

namespace Plexus.Node;

/// <summary>
/// Reads spilled objects back into the memory the store gave them, on the thread pool. It is
/// started through the <see cref="Outbox"/> (outside the node's lock) and, since it runs on its
/// own, takes the node's lock itself, only to record a restore and to complete it; it keeps the
/// restores in flight so that the node can wait for them before the arena is unmapped.
/// </summary>
internal sealed class RestoreRunner(
    object nodeLock, NodeObjectStore objects, LocalObjectStore store, SpillDirectory spills, ProcessTable processes, TimeProvider time, ILogger logger)
{
    // Restores reading from disk now (guarded by the node's lock); the arena is not unmapped before they end.
    private readonly HashSet<Task> _inFlight = [];
    // Set under the node's lock when it stops: no I/O into the arena may start after.
    private bool _stopped;

    /// <summary>Starts reading a spilled object back into its new range; called outside the lock.</summary>
    public void Start(StoredObject stored)
    {
        var outbox = processes.NewOutbox();
        lock (nodeLock)
        {
            if (_stopped)
            {
                // The arena is about to be unmapped: no I/O into it now.
                objects.CompleteRestore(stored, "the node is shutting down", outbox);
            }
            else
            {
                Track(Task.Run(() => Restore(stored)));
            }
        }

        outbox.Flush();
    }

    /// <summary>Under the node's lock: no restore starts from now on (the arena is about to go).</summary>
    public void Stop() => _stopped = true;

    /// <summary>Under the node's lock: the restores reading now, to wait for before the arena is unmapped.</summary>
    public Task[] InFlight() => [.. _inFlight];

    // Under the lock: the task is tracked before it can finish (its last step takes the lock), so Stop sees it.
    private void Track(Task restore)
    {
        _inFlight.Add(restore);
        _ = restore.ContinueWith(done =>
        {
            lock (nodeLock)
            {
                _inFlight.Remove(done);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Restore(StoredObject stored)
    {
        // The range and file offset do not change while Restoring.
        string? failure = null;
        var readTime = TimeSpan.Zero;
        try
        {
            var started = time.GetTimestamp();
            stored.File!.Read(stored.FileOffset, store.Arena, stored.Offset, stored.Size);
            readTime = time.GetElapsedTime(started);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            failure = e.Message;
            logger.RestoreFailed(stored.Id, stored.Size, stored.File!.Path, e.Message);
        }

        var outbox = processes.NewOutbox();
        lock (nodeLock)
        {
            objects.CompleteRestore(stored, failure, outbox);
            spills.RestoreTime += readTime;
        }

        outbox.Flush();
    }
}
