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

    /// <inheritdoc />
    public override string ToString() => $"{Node:x16}/{Process}";
}
