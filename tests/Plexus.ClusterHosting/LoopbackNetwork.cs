using System.Net;
using System.Net.Sockets;

namespace Plexus.ClusterHosting;

/// <summary>
/// The network of a test cluster when namespaces are not available (not root): each node binds
/// an address of its own on loopback (127.0.0.2, 127.0.0.3, ...: Linux answers on all of
/// 127.0.0.0/8). Nodes share this machine's ports, so ports come from the OS.
/// </summary>
internal sealed class LoopbackNetwork : INodeNetwork
{
    private const int FirstHostByte = 2;

    private readonly List<NodeHost> _hosts = [];

    public IReadOnlyList<NodeHost> Hosts => _hosts;

    public Task<NodeHost> AddHostAsync()
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_hosts.Count, 254 - FirstHostByte, "nodes");
        var host = new NodeHost(new IPAddress([127, 0, 0, (byte)(FirstHostByte + _hosts.Count)]), Namespace: null);
        _hosts.Add(host);
        return Task.FromResult(host);
    }

    /// <summary>A port the OS gives for <paramref name="host"/>'s address; another program may take it before the node binds it.</summary>
    public int FreePort(NodeHost host)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(host.Address, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    public Task PartitionAsync(NodeHost host) => throw Unpartitionable();

    public Task HealAsync(NodeHost host) => throw Unpartitionable();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static NotSupportedException Unpartitionable() =>
        new("Nodes on loopback share one device, so one cannot be cut off; partition tests need network namespaces (run them as root).");
}
