using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Plexus.Cli.Node;

/// <summary>The address a node binds and advertises when <c>--node-ip</c> is not given.</summary>
internal static class LocalAddress
{
    /// <summary>The first IPv4 address of an interface that is up and not loopback; 127.0.0.1 on a machine with none (one node alone).</summary>
    public static string Default()
    {
        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus == OperationalStatus.Up && nic.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .FirstOrDefault(ip => ip.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(ip));
        return (address ?? IPAddress.Loopback).ToString();
    }
}
