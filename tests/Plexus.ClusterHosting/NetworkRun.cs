using System.Globalization;
using System.Net;

namespace Plexus.ClusterHosting;

/// <summary>
/// The names and addresses of one test network: everything it creates carries the run's id, so
/// it can be removed by name, also after the process that made it died.
/// </summary>
/// <param name="RunId">Four hex digits, unique among the runs registered on this machine.</param>
/// <param name="SubnetOctet">The third octet of the run's /24 in 10.213.0.0/16, unique likewise.</param>
/// <param name="Owner">The process that created the run; once it is gone, the run is a leftover.</param>
internal sealed record NetworkRun(string RunId, int SubnetOctet, ProcessIdentity Owner)
{
    /// <summary>The most nodes a run's /24 holds (addresses .11 to .210).</summary>
    public const int MaxNodes = 200;

    // Interface names have at most 15 characters: "plx-br-" + 4 and "plx-" + 4 + "-" + 3 + "h" fit.
    public string BridgeName => $"plx-br-{RunId}";

    /// <summary>What every namespace and veth of this run starts with.</summary>
    public string NodePrefix => $"plx-{RunId}-";

    public IPAddress BridgeAddress => Address(1);

    public string NamespaceName(int node) => $"{NodePrefix}{node}";

    /// <summary>The veth end on the bridge, in the root namespace.</summary>
    public string HostVethName(int node) => $"{NodePrefix}{node}h";

    /// <summary>The veth end inside the node's namespace.</summary>
    public string NodeVethName(int node) => $"{NodePrefix}{node}n";

    /// <summary>The address of node <paramref name="node"/> (1-based).</summary>
    public IPAddress NodeAddress(int node)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(node, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(node, MaxNodes);
        return Address(10 + node);
    }

    /// <summary>True for a namespace or link name this run created.</summary>
    public bool Owns(string name) => name == BridgeName || name.StartsWith(NodePrefix, StringComparison.Ordinal);

    private IPAddress Address(int host) => IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"10.213.{SubnetOctet}.{host}"));
}
