namespace Plexus.ClusterHosting;

/// <summary>
/// A test network of Linux network namespaces, one per node, each with its own address on a
/// bridge of its own /24 (a veth pair per namespace, loopback up, default route to the bridge):
/// node-to-node traffic crosses a real network stack, and the test process, which holds the
/// bridge's address, reaches every node. Traffic stays on the bridge, so no forwarding or NAT is
/// enabled on the machine. Needs root and iproute2. Disposing removes everything it created;
/// what a test host that died without disposing left is removed by the next one that starts.
/// </summary>
internal sealed class NetworkNamespaces : INodeNetwork
{
    // Inside a new namespace no other program listens, and this is below the kernel's default
    // ephemeral range (32768-60999), so no outgoing connection of a node holds it either.
    private const int LowestPort = 20000;
    private const int HighestPort = 32000;

    private readonly List<NodeHost> _hosts = [];

    private NetworkNamespaces(NetworkRun run)
    {
        Run = run;
    }

    /// <summary>The names and addresses of this network.</summary>
    public NetworkRun Run { get; }

    public IReadOnlyList<NodeHost> Hosts => _hosts;

    /// <summary>True when this process can create network namespaces: root, with <c>ip netns</c> working.</summary>
    public static async Task<bool> AreAvailableAsync()
    {
        if (!Native.IsRoot)
        {
            return false;
        }

        try
        {
            return await IpCommand.TryRunAsync("netns", "list");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no `ip` (or no `setsid`) on this machine
        }
    }

    /// <summary>Creates the bridge of a new run; <paramref name="owner"/> is this process unless a test stands in for another.</summary>
    /// <exception cref="NetworkSetupException">The bridge could not be created.</exception>
    public static async Task<NetworkNamespaces> CreateAsync(ProcessIdentity? owner = null)
    {
        var run = await NetworkRunRegistry.ClaimAsync(owner ?? ProcessIdentity.Current);
        try
        {
            await IpCommand.RunAsync("link", "add", run.BridgeName, "type", "bridge");
            await IpCommand.RunAsync("addr", "add", $"{run.BridgeAddress}/24", "dev", run.BridgeName);
            await IpCommand.RunAsync("link", "set", run.BridgeName, "up");
            return new NetworkNamespaces(run);
        }
        catch
        {
            await NetworkRunRegistry.ReleaseAsync(run);
            throw;
        }
    }

    public async Task<NodeHost> AddHostAsync()
    {
        var node = _hosts.Count + 1;
        var name = Run.NamespaceName(node);
        var address = Run.NodeAddress(node);
        var inside = Run.NodeVethName(node);
        await IpCommand.RunAsync("netns", "add", name);
        // The node's end is created inside its namespace, so it never appears in the root one.
        await IpCommand.RunAsync("link", "add", Run.HostVethName(node), "type", "veth", "peer", "name", inside, "netns", name);
        await IpCommand.RunAsync("link", "set", Run.HostVethName(node), "master", Run.BridgeName);
        await IpCommand.RunAsync("link", "set", Run.HostVethName(node), "up");
        await IpCommand.RunAsync("-n", name, "link", "set", "lo", "up");
        await IpCommand.RunAsync("-n", name, "addr", "add", $"{address}/24", "dev", inside);
        await IpCommand.RunAsync("-n", name, "link", "set", inside, "up");
        await IpCommand.RunAsync("-n", name, "route", "add", "default", "via", Run.BridgeAddress.ToString());
        var host = new NodeHost(address, name);
        _hosts.Add(host);
        return host;
    }

    public int FreePort(NodeHost host) => Random.Shared.Next(LowestPort, HighestPort);

    // The bridge's end of the host's veth pair: down, the bridge drops the host's packets both ways.
    public Task PartitionAsync(NodeHost host) => IpCommand.RunAsync("link", "set", Run.HostVethName(NodeOf(host)), "down");

    public Task HealAsync(NodeHost host) => IpCommand.RunAsync("link", "set", Run.HostVethName(NodeOf(host)), "up");

    // Hosts are numbered from 1 in the order they were added (their veths are named by that number).
    private int NodeOf(NodeHost host)
    {
        var index = _hosts.IndexOf(host);
        return index >= 0 ? index + 1 : throw new ArgumentException($"{host} is not a host of this network.", nameof(host));
    }

    /// <summary>Removes every namespace and link of this run. Processes still running inside a namespace should be killed first.</summary>
    public async ValueTask DisposeAsync() => await NetworkRunRegistry.ReleaseAsync(Run);
}
