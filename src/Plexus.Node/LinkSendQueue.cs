using System.Collections.Concurrent;
using Plexus.Protocol.Framing;
using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// The messages decided for one link and not sent yet, in the order the node decided them. An
/// <see cref="Outbox"/> queues here while the node's lock is held and sends after releasing it;
/// two outboxes filled one after the other under the lock can flush in either order, so each
/// flush sends everything queued on its links so far, in queue order, one sender at a time. A
/// worker therefore gets an actor's <c>HostActor</c> before a call that the node routed to it
/// after placing the actor, whichever thread's flush comes first.
/// </summary>
internal sealed class LinkSendQueue
{
    private readonly ConcurrentQueue<Message> _messages = new();
    // Held while sending, so that two flushes of one link never interleave out of order.
    private readonly object _sending = new();

    public void Enqueue(Message message) => _messages.Enqueue(message);

    /// <summary>
    /// Sends what is queued through <paramref name="link"/>, in order. A closed connection is
    /// skipped (its end is handled where the connection ends); other failures are collected into
    /// <paramref name="failures"/>, so one bad message loses no other.
    /// </summary>
    public void SendQueued(IMessageLink link, ref List<Exception>? failures)
    {
        lock (_sending)
        {
            while (_messages.TryDequeue(out var message))
            {
                try
                {
                    link.Send(message);
                }
                catch (ConnectionClosedException)
                {
                    // The process is gone or going: its connection's end does what follows.
                }
                catch (Exception e)
                {
                    (failures ??= []).Add(e);
                }
            }
        }
    }
}
