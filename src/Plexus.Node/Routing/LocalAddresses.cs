using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>The addresses of this node's processes, and the check that a process speaks only for itself.</summary>
internal sealed class LocalAddresses(ulong nodeId)
{
    public ProcessAddress Of(int process) => new(nodeId, process);

    /// <summary>The node's own address: the target of messages for the node itself.</summary>
    public ProcessAddress Node { get; } = ProcessAddress.NodeOf(nodeId);

    public bool IsLocal(ProcessAddress address) => address.Node == nodeId;

    /// <summary>Throws <see cref="ProtocolViolationException"/> unless <paramref name="claimed"/> is the address of process <paramref name="from"/> on this node.</summary>
    public void ValidateSender(int from, ProcessAddress claimed, string field)
    {
        var own = Of(from);
        if (claimed != own)
        {
            throw new ProtocolViolationException($"{field} is {claimed}, but the sender is {own}");
        }
    }
}
