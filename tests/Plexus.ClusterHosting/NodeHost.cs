using System.Net;

namespace Plexus.ClusterHosting;

/// <summary>
/// Where one node runs: its own address, and the network namespace that owns it (null when the
/// node shares this machine's network and binds a loopback address of its own).
/// </summary>
internal sealed record NodeHost(IPAddress Address, string? Namespace)
{
    /// <summary>The command as it runs on this host: inside its namespace when it has one.</summary>
    public CommandLine Wrap(CommandLine command) =>
        Namespace is null ? command : command.RunBy("ip", "netns", "exec", Namespace);

    public override string ToString() => Namespace is null ? Address.ToString() : $"{Address} in {Namespace}";
}
