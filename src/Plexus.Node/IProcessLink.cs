namespace Plexus.Node;

/// <summary>
/// The node's way to reach one runtime on its node: a socket for a worker process, a direct call
/// for the driver embedded in the node's own process.
/// </summary>
internal interface IProcessLink : IMessageLink
{
    int Process { get; }
}
