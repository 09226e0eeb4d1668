using System.Collections.Concurrent;
using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>Requests sent to the node or another runtime, waiting for their reply by request id.</summary>
internal sealed class PendingRequests
{
    // Replies not yet received, by request id.
    private readonly ConcurrentDictionary<long, TaskCompletionSource<Message>> _waiting = new();
    private long _nextId;

    public (long Id, Task<Message> Reply) Open()
    {
        var id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<Message>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[id] = tcs;
        return (id, tcs.Task);
    }

    public void Complete(long id, Message reply)
    {
        if (_waiting.TryRemove(id, out var tcs))
        {
            tcs.TrySetResult(reply);
        }
    }

    /// <summary>
    /// The reply a request expected, or the typed exception for a <see cref="RequestFailed"/>
    /// (the target exited, or cannot be reached). Await sites that answer a failure otherwise (a
    /// failed value, an empty list) match <see cref="RequestFailed"/> themselves first.
    /// </summary>
    public static T Expect<T>(Message reply)
        where T : Message => reply switch
    {
        T expected => expected,
        RequestFailed failed => throw Errors.ToException(failed.Error),
        _ => throw new ProtocolViolationException($"A {reply.GetType().Name} answered a request that expected a {typeof(T).Name}."),
    };

    /// <summary>Fails every open request: the process's link to its node is gone.</summary>
    public void FailAll(Exception error)
    {
        foreach (var id in _waiting.Keys)
        {
            if (_waiting.TryRemove(id, out var tcs))
            {
                tcs.TrySetException(error);
            }
        }
    }
}
