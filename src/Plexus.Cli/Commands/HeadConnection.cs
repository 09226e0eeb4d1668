using System.CommandLine;
using Plexus.Cli.Node;
using Plexus.Control;

namespace Plexus.Cli.Commands;

/// <summary>
/// How the commands that ask the head (<c>status</c>, <c>submit</c>, <c>jobs</c>, <c>logs</c>,
/// <c>stop-job</c>) find it: <c>--address</c>, else <c>PLEXUS_ADDRESS</c>, else the node started on
/// this machine; the token from <c>--token-file</c>, else <c>PLEXUS_TOKEN</c>, else this machine's head's token file.
/// </summary>
internal sealed class HeadConnection
{
    // Long enough for a loaded head; short enough that a wrong address does not keep a person waiting.
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    public Option<string?> Address { get; } = SharedOptions.Address("The head's control address. Default: PLEXUS_ADDRESS, else the node started on this machine.");

    public Option<FileInfo?> TokenFile { get; } = SharedOptions.TokenFile("The file holding the cluster token. Default: PLEXUS_TOKEN, else this machine's head's token file.");

    /// <summary>A client of the head the command line names, and the address as shown to the user.</summary>
    /// <exception cref="UsageException">No head or no token can be found.</exception>
    public (ControlClient Client, string Shown) Open(ParseResult parsed, CliContext context, TimeSpan? callTimeout = null)
    {
        var localNode = new NodeStateFiles(context.DefaultTempDirectory);
        var (target, shown) = HeadAddress(parsed.GetValue(Address), localNode, context);
        var token = ClusterTokens.ReadForStatus(parsed.GetValue(TokenFile), localNode, context);
        return (new ControlClient(target, token) { CallTimeout = callTimeout ?? CallTimeout }, shown);
    }

    /// <summary>The head's address: <paramref name="given"/>, else <c>PLEXUS_ADDRESS</c>, else the local node's.</summary>
    /// <exception cref="UsageException">None is known.</exception>
    public static (Uri Target, string Shown) HeadAddress(string? given, NodeStateFiles localNode, CliContext context)
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
