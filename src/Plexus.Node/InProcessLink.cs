using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>The driver embedded in the node's process, reached by a direct call.</summary>
internal sealed class InProcessLink(int process, Action<Message> deliver) : IProcessLink
{
    public int Process { get; } = process;

    public LinkSendQueue Queued { get; } = new();

    public void Send(Message message) => deliver(message);
}
