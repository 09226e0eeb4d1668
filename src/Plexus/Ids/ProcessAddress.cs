using System.Runtime.InteropServices;

namespace Plexus;

/// <summary>
/// Where a runtime (a driver or a worker) can be reached: its node and its number on that node.
/// Number 0 is the driver on its node. Owners of objects are named by their address.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct ProcessAddress(ulong Node, int Process)
{
    /// <summary>The process number of a driver on its node.</summary>
    public const int DriverProcess = 0;

    /// <summary>
    /// The process number reserved for the node daemon itself: a message whose target has it is
    /// for the node (a store or scheduling request), not for a runtime on it.
    /// </summary>
    public const int NodeProcess = -1;

    /// <summary>The address of node <paramref name="node"/>'s daemon (<see cref="NodeProcess"/>).</summary>
    public static ProcessAddress NodeOf(ulong node) => new(node, NodeProcess);

    /// <summary>True when this is a node daemon's address rather than a runtime's.</summary>
    public bool IsNode => Process == NodeProcess;

    /// <inheritdoc />
    public override string ToString() => $"{Node:x16}/{Process}";
}
