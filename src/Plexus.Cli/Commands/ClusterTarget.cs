using Plexus.Cli.Node;

namespace Plexus.Cli.Commands;

/// <summary>
/// Which cluster a reading command asks, and with which token: <c>--address</c>, else
/// <c>PLEXUS_ADDRESS</c>, else the head started on this machine; <c>--token-file</c>, else
/// <c>PLEXUS_TOKEN</c>, else that head's token file. Shared by <c>status</c>, <c>list</c>, the job commands (through <see cref="HeadConnection"/>),
/// <c>summary</c> and <c>timeline</c>.
/// </summary>
internal sealed record ClusterTarget(Uri Address, string Shown, string Token)
{
    /// <exception cref="UsageException">No address was given and no node was started here, or no token can be found.</exception>
    public static ClusterTarget Find(string? address, FileInfo? tokenFile, CliContext context)
    {
        var localNode = new NodeStateFiles(context.DefaultTempDirectory);
        var (target, shown) = HeadAddress(address, localNode, context);
        return new ClusterTarget(target, shown, ClusterTokens.ReadForStatus(tokenFile, localNode, context));
    }

    private static (Uri Target, string Shown) HeadAddress(string? given, NodeStateFiles localNode, CliContext context)
    {
        if (given is not null)
        {
            return (ControlAddress.Parse(given, "--address"), given);
        }

        if (context.Variable(CliContext.AddressVariable) is { } fromEnvironment)
        {
            return (ControlAddress.Parse(fromEnvironment, CliContext.AddressVariable), fromEnvironment);
        }

        if (localNode.ReadRecord() is { } local)
        {
            return (ControlAddress.Parse(local.ControlAddress, localNode.RecordPath), local.ControlAddress);
        }

        throw new UsageException(
            $"Which cluster? Give --address HOST:PORT or set PLEXUS_ADDRESS (no node was started on this machine: {localNode.RecordPath} does not exist).");
    }
}
