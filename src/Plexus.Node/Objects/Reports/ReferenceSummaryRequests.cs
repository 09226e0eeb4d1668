using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// The summaries of reference tables this node asked its runtimes for (<see cref="SummarizeReferences"/>)
/// and not yet answered: each request is answered by its runtime, ended by that runtime's exit, or
/// given up by its asker at its deadline. An answer from another process than the one asked, or
/// to a request given up, is dropped. Thread-safe.
/// </summary>
internal sealed class ReferenceSummaryRequests
{
    private readonly object _lock = new();
    // Requests sent and not answered, by request id: the process asked, and its answer (null: it exited).
    private readonly Dictionary<long, (int Process, TaskCompletionSource<ReferenceSummary?> Answer)> _open = [];
    // The last request id given.
    private long _lastId;

    /// <summary>A new request to <paramref name="process"/>: its id (for the message) and its answer.</summary>
    public (long RequestId, Task<ReferenceSummary?> Answer) Open(int process)
    {
        var answer = new TaskCompletionSource<ReferenceSummary?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            var id = ++_lastId;
            _open.Add(id, (process, answer));
            return (id, answer.Task);
        }
    }

    /// <summary>Forgets a request its asker gave up on (answered or not).</summary>
    public void Close(long requestId)
    {
        lock (_lock)
        {
            _open.Remove(requestId);
        }
    }

    /// <summary>Process <paramref name="from"/> answered request <paramref name="requestId"/>.</summary>
    public void Answered(int from, long requestId, ReferenceSummary summary)
    {
        TaskCompletionSource<ReferenceSummary?>? answer = null;
        lock (_lock)
        {
            if (_open.TryGetValue(requestId, out var open) && open.Process == from)
            {
                _open.Remove(requestId);
                answer = open.Answer;
            }
        }

        answer?.TrySetResult(summary);
    }

    /// <summary>A process exited: its open requests end unanswered.</summary>
    public void OnProcessExited(int process)
    {
        List<TaskCompletionSource<ReferenceSummary?>> ended = [];
        lock (_lock)
        {
            foreach (var (id, open) in _open.Where(o => o.Value.Process == process).ToList())
            {
                _open.Remove(id);
                ended.Add(open.Answer);
            }
        }

        foreach (var answer in ended)
        {
            answer.TrySetResult(null);
        }
    }
}
