using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.State;

/// <summary>
/// Questions for the nodes that only a node can answer: reads of its per-process log files
/// (<c>&lt;temp-dir&gt;/logs</c>) and summaries of its processes' reference tables. A request waits
/// here until its node takes it (<see cref="TakeAsync"/>, a long poll the node keeps open) and
/// answers it (<see cref="Answer"/>), so a node needs no port of its own and nothing passes through
/// the head's disk. What <c>plexus logs --node</c>, <c>plexus list objects --all</c> and the head's
/// dashboard call. Thread-safe.
/// </summary>
internal sealed class NodeRequests(TimeProvider time)
{
    /// <summary>How long an asker waits for its node to answer: under the tool's call timeout (5 s), so it hears why.</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(4);

    /// <summary>The most a node's long poll waits for a request.</summary>
    public static readonly TimeSpan MaxTakeWait = TimeSpan.FromSeconds(10);

    private readonly object _lock = new();
    // By node: requests not yet taken by it, oldest first.
    private readonly Dictionary<ulong, Queue<Proto.NodeRequest>> _queued = [];
    // By node: completed when a request for it is queued; replaced once taken.
    private readonly Dictionary<ulong, TaskCompletionSource> _arrived = [];
    // By request id: who waits for the answer, from which node, and what was asked (for the messages).
    private readonly Dictionary<long, (ulong Node, string What, TaskCompletionSource<Proto.AnswerNodeRequestRequest> Reply)> _waiting = [];
    // The last request id given.
    private long _lastId;

    /// <summary>How many askers still wait for an answer (or for their timeout); a finished ask is no longer counted.</summary>
    public int Unanswered
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Asks <paramref name="node"/> to read its log files: the list (an empty <c>file</c>) or a range of one (a negative offset counts back from the end).</summary>
    /// <exception cref="InvalidOperationException">The node did not answer within <see cref="AnswerTimeout"/>, left the cluster, or could not read the file (the message says why).</exception>
    public async Task<Proto.ReadNodeLogReply> ReadLogAsync(ulong node, Proto.LogRequest request, CancellationToken cancellationToken) =>
        (await AskAsync(node, new Proto.NodeRequest { Log = request }, "a log request", cancellationToken).ConfigureAwait(false)).Log
        ?? new Proto.ReadNodeLogReply();

    /// <summary>Asks <paramref name="node"/> for a summary of each of its processes' references, listing at most <paramref name="largest"/> entries each.</summary>
    /// <exception cref="InvalidOperationException">The node did not answer within <see cref="AnswerTimeout"/>, or left the cluster.</exception>
    public async Task<Proto.NodeReferences> SummarizeReferencesAsync(ulong node, int largest, CancellationToken cancellationToken) =>
        (await AskAsync(node, new Proto.NodeRequest { References = new Proto.ReferencesRequest { Largest = largest } }, "a summary of its processes' references", cancellationToken).ConfigureAwait(false)).References
        ?? new Proto.NodeReferences();

    /// <summary>The requests for <paramref name="node"/>, waiting up to <paramref name="wait"/> (at most <see cref="MaxTakeWait"/>) for one; empty when none came.</summary>
    public async Task<IReadOnlyList<Proto.NodeRequest>> TakeAsync(ulong node, TimeSpan wait, CancellationToken cancellationToken)
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
                // Signalled for a request whose asker gave up before it was taken: wait for the next.
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

    /// <summary>The node's answer to a request it took; one nobody waits for any more (timed out), or from another node, is dropped.</summary>
    public void Answer(ulong node, Proto.AnswerNodeRequestRequest answer)
    {
        TaskCompletionSource<Proto.AnswerNodeRequestRequest>? waiter;
        string what;
        lock (_lock)
        {
            (waiter, what) = _waiting.TryGetValue(answer.RequestId, out var w) && w.Node == node ? (w.Reply, w.What) : (null, "");
        }

        if (waiter is null)
        {
            return;
        }

        if (!string.IsNullOrEmpty(answer.Error))
        {
            waiter.TrySetException(new InvalidOperationException($"Node {node:x16} could not answer {what}: {answer.Error}"));
        }
        else
        {
            waiter.TrySetResult(answer);
        }
    }

    /// <summary>Fails the requests waiting for a node that died or left.</summary>
    public void NodeGone(ulong node)
    {
        List<(string What, TaskCompletionSource<Proto.AnswerNodeRequestRequest> Reply)> failed;
        lock (_lock)
        {
            _queued.Remove(node);
            failed = [.. _waiting.Values.Where(w => w.Node == node).Select(w => (w.What, w.Reply))];
        }

        foreach (var (what, reply) in failed)
        {
            reply.TrySetException(new InvalidOperationException($"Node {node:x16} left the cluster before it answered {what}."));
        }
    }

    private async Task<Proto.AnswerNodeRequestRequest> AskAsync(ulong node, Proto.NodeRequest request, string what, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<Proto.AnswerNodeRequestRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        long id;
        lock (_lock)
        {
            id = ++_lastId;
            request.RequestId = id;
            _waiting.Add(id, (node, what, reply));
            if (!_queued.TryGetValue(node, out var queue))
            {
                queue = new Queue<Proto.NodeRequest>();
                _queued.Add(node, queue);
            }

            queue.Enqueue(request);
            ArrivedFor(node).TrySetResult();
        }

        try
        {
            return await reply.Task.WaitAsync(AnswerTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException(
                $"Node {node:x16} did not answer {what} within {AnswerTimeout.TotalSeconds:0} s: it may be overloaded, or stopping; try again, or see plexus list nodes.");
        }
        finally
        {
            lock (_lock)
            {
                _waiting.Remove(id);
                if (_queued.TryGetValue(node, out var queue) && queue.Count > 0)
                {
                    // Not taken yet: nobody waits for it any more.
                    _queued[node] = new Queue<Proto.NodeRequest>(queue.Where(r => r.RequestId != id));
                }
            }
        }
    }

    // Under the lock.
    private List<Proto.NodeRequest> TakeQueued(ulong node)
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
