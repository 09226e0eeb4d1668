using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.State;

/// <summary>
/// Reads of the per-process log files that live on each node (<c>&lt;temp-dir&gt;/logs</c>): a
/// reader's request waits here until its node takes it (<see cref="TakeAsync"/>, a long poll
/// the node keeps open) and answers it (<see cref="Answer"/>). The files never pass through the
/// head's disk, and a node needs no port of its own for them. What <c>plexus logs --node</c> and the
/// head's dashboard ("logs per worker") call. Thread-safe.
/// </summary>
internal sealed class NodeLogRequests(TimeProvider time)
{
    /// <summary>How long a reader waits for its node to answer: under the tool's call timeout (5 s), so it hears why.</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(4);

    /// <summary>The most a node's long poll waits for a request.</summary>
    public static readonly TimeSpan MaxTakeWait = TimeSpan.FromSeconds(10);

    private readonly object _lock = new();
    // By node: requests not yet taken by it, oldest first.
    private readonly Dictionary<ulong, Queue<Proto.LogRequest>> _queued = [];
    // By node: completed when a request for it is queued; replaced once taken.
    private readonly Dictionary<ulong, TaskCompletionSource> _arrived = [];
    // By request id: who waits for the answer, and from which node.
    private readonly Dictionary<long, (ulong Node, TaskCompletionSource<Proto.ReadNodeLogReply> Reply)> _waiting = [];
    // The last request id given.
    private long _lastId;

    /// <summary>
    /// Asks <paramref name="node"/> for its log files (an empty <paramref name="file"/>) or a range
    /// of one (a negative <paramref name="offset"/> counts back from the end), and waits for its answer.
    /// </summary>
    /// <exception cref="InvalidOperationException">The node did not answer within <see cref="AnswerTimeout"/>, left the cluster, or could not read the file (the message says why).</exception>
    public async Task<Proto.ReadNodeLogReply> ReadAsync(ulong node, string file, long offset, int maxBytes, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<Proto.ReadNodeLogReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        long id;
        lock (_lock)
        {
            id = ++_lastId;
            _waiting.Add(id, (node, reply));
            if (!_queued.TryGetValue(node, out var queue))
            {
                queue = new Queue<Proto.LogRequest>();
                _queued.Add(node, queue);
            }

            queue.Enqueue(new Proto.LogRequest { RequestId = id, File = file, Offset = offset, MaxBytes = maxBytes });
            ArrivedFor(node).TrySetResult();
        }

        try
        {
            return await reply.Task.WaitAsync(AnswerTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException(
                $"Node {node:x16} did not answer a log request within {AnswerTimeout.TotalSeconds:0} s: it may be overloaded, or stopping; try again, or see plexus list nodes.");
        }
        finally
        {
            lock (_lock)
            {
                _waiting.Remove(id);
                if (_queued.TryGetValue(node, out var queue) && queue.Count > 0)
                {
                    // Not taken yet: nobody waits for it any more.
                    _queued[node] = new Queue<Proto.LogRequest>(queue.Where(r => r.RequestId != id));
                }
            }
        }
    }

    /// <summary>The requests for <paramref name="node"/>, waiting up to <paramref name="wait"/> (at most <see cref="MaxTakeWait"/>) for one; empty when none came.</summary>
    public async Task<IReadOnlyList<Proto.LogRequest>> TakeAsync(ulong node, TimeSpan wait, CancellationToken cancellationToken)
    {
        Task arrived;
        lock (_lock)
        {
            if (TakeQueued(node) is { Count: > 0 } taken)
            {
                return taken;
            }

            if (_arrived.TryGetValue(node, out var signalled) && signalled.Task.IsCompleted)
            {
                // Signalled for a request whose reader gave up before it was taken: wait for the next.
                _arrived.Remove(node);
            }

            arrived = ArrivedFor(node).Task;
        }

        var bounded = wait > MaxTakeWait ? MaxTakeWait : wait;
        try
        {
            await arrived.WaitAsync(bounded, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Nothing came: the node asks again.
        }

        lock (_lock)
        {
            return TakeQueued(node);
        }
    }

    /// <summary>The node's answer to a request it took; one nobody waits for any more (timed out) is dropped.</summary>
    public void Answer(ulong node, long requestId, Proto.ReadNodeLogReply? reply, string? error)
    {
        TaskCompletionSource<Proto.ReadNodeLogReply>? waiter;
        lock (_lock)
        {
            waiter = _waiting.TryGetValue(requestId, out var w) && w.Node == node ? w.Reply : null;
        }

        if (waiter is null)
        {
            return;
        }

        if (!string.IsNullOrEmpty(error))
        {
            waiter.TrySetException(new InvalidOperationException($"Node {node:x16} could not read its logs: {error}"));
        }
        else
        {
            waiter.TrySetResult(reply ?? new Proto.ReadNodeLogReply());
        }
    }

    /// <summary>Fails the reads waiting for a node that died or left.</summary>
    public void NodeGone(ulong node)
    {
        List<TaskCompletionSource<Proto.ReadNodeLogReply>> failed;
        lock (_lock)
        {
            _queued.Remove(node);
            failed = [.. _waiting.Values.Where(w => w.Node == node).Select(w => w.Reply)];
        }

        foreach (var reply in failed)
        {
            reply.TrySetException(new InvalidOperationException($"Node {node:x16} left the cluster before it answered; its log files stay in its temp directory."));
        }
    }

    // Under the lock.
    private List<Proto.LogRequest> TakeQueued(ulong node)
    {
        if (!_queued.Remove(node, out var queue) || queue.Count == 0)
        {
            return [];
        }

        _arrived.Remove(node);
        return [.. queue];
    }

    // Under the lock.
    private TaskCompletionSource ArrivedFor(ulong node)
    {
        if (!_arrived.TryGetValue(node, out var arrived))
        {
            arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _arrived.Add(node, arrived);
        }

        return arrived;
    }
}
