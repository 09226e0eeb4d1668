using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Messages decided under the node's lock and sent after it is released, so no runtime's handler
/// ever runs while the node holds its lock; likewise work to start once the lock is released
/// (a restore's disk read).
/// </summary>
internal sealed class Outbox(Func<int, IProcessLink?> resolve)
{
    private readonly List<(IMessageLink Link, Message Message)> _messages = [];
    private List<Action>? _deferred;

    public void Add(IMessageLink link, Message message) => _messages.Add((link, message));

    /// <summary>Adds a message for a process by number; dropped if the process is gone.</summary>
    public void Add(int process, Message message)
    {
        if (resolve(process) is { } link)
        {
            _messages.Add((link, message));
        }
    }

    /// <summary>Runs <paramref name="action"/> at <see cref="Flush"/>, after the messages.</summary>
    public void Defer(Action action) => (_deferred ??= []).Add(action);

    public void Flush()
    {
        foreach (var (link, message) in _messages)
        {
            link.Send(message);
        }

        _messages.Clear();
        if (_deferred is { } deferred)
        {
            _deferred = null;
            foreach (var action in deferred)
            {
                action();
            }
        }
    }
}
