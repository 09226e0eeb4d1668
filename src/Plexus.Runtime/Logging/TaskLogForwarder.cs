using Plexus.Protocol.Framing;
using Plexus.Protocol.Messages;

namespace Plexus.Logging;

/// <summary>
/// Sends a worker's task log entries to its node for their jobs' drivers, batched and bounded.
/// <see cref="Add"/> never waits: the entry joins a queue of at most <see cref="MaxQueuedBytes"/>,
/// or, past it, is dropped and counted; one sender at a time takes what is queued, up to
/// <see cref="MaxBatchBytes"/>, as one <see cref="TaskLogs"/> per job (with that job's drop count),
/// and waits for room on the connection before the next. A task that logs in a tight loop
/// therefore costs a bounded queue and a steady trickle of batches, and its driver hears how many
/// entries it lost. Nothing runs, and nothing is allocated, while no code logs.
/// </summary>
/// <remarks>
/// The first batch after a quiet spell leaves at once; later ones while entries keep coming wait
/// <paramref name="batchInterval"/> between them, which bounds what one worker sends a driver per
/// second (the node passes batches on without waiting for the driver to read them).
/// </remarks>
internal sealed class TaskLogForwarder(
    int pid, Func<TaskLogs, ValueTask> send, TimeSpan batchInterval, TimeProvider time,
    int maxQueuedBytes = TaskLogForwarder.DefaultMaxQueuedBytes, int maxBatchBytes = TaskLogForwarder.DefaultMaxBatchBytes)
{
    /// <summary>The bytes of entries queued at most, by default: 1 MiB.</summary>
    public const int DefaultMaxQueuedBytes = 1 << 20;

    /// <summary>The bytes of entries one batch takes at most (one entry at least), by default: 64 KiB.</summary>
    public const int DefaultMaxBatchBytes = 64 << 10;

    /// <summary>The wait between batches while entries keep coming, by default.</summary>
    public static readonly TimeSpan DefaultBatchInterval = TimeSpan.FromMilliseconds(20);

    private readonly object _lock = new();
    // Entries not sent yet, oldest first, with their job and size (guarded by _lock).
    private readonly Queue<(JobId Job, TaskLogEntry Entry, int Size)> _queue = new();
    // The sum of the sizes in _queue (guarded by _lock).
    private int _queuedBytes;
    // Entries dropped since the job's last batch, by job (guarded by _lock).
    private readonly Dictionary<JobId, long> _dropped = [];
    // True while a sender runs; it runs until it finds nothing to send (guarded by _lock).
    private bool _sending;
    // Set once sending failed for good (the node is gone): entries are dropped from then on (guarded by _lock).
    private bool _closed;

    public int MaxQueuedBytes => maxQueuedBytes;

    public int MaxBatchBytes => maxBatchBytes;

    /// <summary>Queues <paramref name="entry"/> of <paramref name="job"/> for its driver, or counts it dropped when the queue is full.</summary>
    public void Add(JobId job, TaskLogEntry entry)
    {
        var size = TaskLogEntries.SizeOf(entry);
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            if (_queuedBytes + size > maxQueuedBytes)
            {
                _dropped[job] = _dropped.GetValueOrDefault(job) + 1;
            }
            else
            {
                _queue.Enqueue((job, entry, size));
                _queuedBytes += size;
            }

            if (_sending)
            {
                return;
            }

            _sending = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static forwarder => _ = forwarder.SendAllAsync(), this, preferLocal: false);
    }

    /// <summary>
    /// Takes the next batch: up to <see cref="MaxBatchBytes"/> of the oldest entries (one at least),
    /// as one message per job in the order the jobs' first entries came, each with its job's drops;
    /// empty when nothing is left, and then the sender stops.
    /// </summary>
    internal List<TaskLogs> TakeBatch()
    {
        lock (_lock)
        {
            var byJob = new List<(JobId Job, List<TaskLogEntry> Entries)>();
            var taken = 0;
            while (_queue.TryPeek(out var next) && (taken == 0 || taken + next.Size <= maxBatchBytes))
            {
                _queue.Dequeue();
                _queuedBytes -= next.Size;
                taken += next.Size;
                var index = byJob.FindIndex(batch => batch.Job == next.Job);
                if (index < 0)
                {
                    byJob.Add((next.Job, []));
                    index = byJob.Count - 1;
                }

                byJob[index].Entries.Add(next.Entry);
            }

            // Drops of jobs with nothing queued still reach their drivers, in a batch of their own.
            foreach (var job in _dropped.Keys.Where(job => !byJob.Exists(batch => batch.Job == job)).ToList())
            {
                byJob.Add((job, []));
            }

            var batches = byJob.ConvertAll(batch => new TaskLogs
            {
                Job = batch.Job, Pid = pid, Entries = [.. batch.Entries], Dropped = _dropped.Remove(batch.Job, out var dropped) ? dropped : 0,
            });
            _sending = batches.Count > 0;
            return batches;
        }
    }

    private async Task SendAllAsync()
    {
        var first = true;
        while (true)
        {
            if (!first)
            {
                // Entries that come meanwhile join the next batch.
                await Task.Delay(batchInterval, time).ConfigureAwait(false);
            }

            first = false;
            var batches = TakeBatch();
            if (batches.Count == 0)
            {
                return;
            }

            foreach (var batch in batches)
            {
                try
                {
                    await send(batch).ConfigureAwait(false);
                }
                catch (Exception e) when (e is ConnectionClosedException or ObjectDisposedException)
                {
                    // The node is gone (this worker is exiting): what is left has nowhere to go.
                    Close();
                    return;
                }
            }
        }
    }

    private void Close()
    {
        lock (_lock)
        {
            _closed = true;
            _sending = false;
            _queue.Clear();
            _queuedBytes = 0;
            _dropped.Clear();
        }
    }
}
