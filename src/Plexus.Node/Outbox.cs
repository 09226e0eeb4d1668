using System.Runtime.ExceptionServices;
using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Messages decided under the node's lock and sent after it is released, so no runtime's handler
/// ever runs while the node holds its lock; likewise work to start once the lock is released
/// (a restore's disk read).
/// </summary>
internal sealed class Outbox(Func<int, IProcessLink?> resolve, Func<ProcessAddress, IMessageLink?>? route = null)
{
    // The links this outbox queued messages on, each once: the ones its flush sends.
    private readonly List<IMessageLink> _links = [];
    private List<Action>? _deferred;

    /// <summary>Queues a message on <paramref name="link"/> (call it under the node's lock: that is the order it is sent in).</summary>
    public void Add(IMessageLink link, Message message)
    {
        link.Queued.Enqueue(message);
        if (!_links.Contains(link))
        {
            _links.Add(link);
        }
    }

    /// <summary>Adds a message for a process by number; dropped if the process is gone.</summary>
    public void Add(int process, Message message)
    {
        if (resolve(process) is { } link)
        {
            Add(link, message);
        }
    }

    /// <summary>
    /// Adds a message for a runtime anywhere: on this node by its link, on another through the
    /// link to its node; dropped if neither is connected (the process or its node is gone).
    /// </summary>
    public void Add(ProcessAddress target, Message message)
    {
        if (route?.Invoke(target) is { } link)
        {
            Add(link, message);
        }
    }

    /// <summary>Runs <paramref name="action"/> at <see cref="Flush"/>, after the messages.</summary>
    public void Defer(Action action) => (_deferred ??= []).Add(action);

    /// <summary>
    /// Sends every message queued on this outbox's links (with any another outbox queued there
    /// before or after them, in the node's order: see <see cref="LinkSendQueue"/>), then runs the
    /// deferred work. A link that closed meanwhile is skipped (its process's end is handled where
    /// its connection ends); any other failure to send is thrown once every other message has
    /// gone, so one bad send loses nothing else.
    /// </summary>
    public void Flush()
    {
        List<Exception>? failures = null;
        foreach (var link in _links)
        {
            link.Queued.SendQueued(link, ref failures);
        }

        _links.Clear();
        if (_deferred is { } deferred)
        {
            _deferred = null;
            foreach (var action in deferred)
            {
                action();
            }
        }

        if (failures is { Count: 1 })
        {
            ExceptionDispatchInfo.Throw(failures[0]);
        }

        if (failures is not null)
        {
            throw new AggregateException("Messages the node decided could not be sent.", failures);
        }
    }
}
