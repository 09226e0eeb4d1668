using System.CommandLine;
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
        var target = ClusterTarget.Find(parsed.GetValue(Address), parsed.GetValue(TokenFile), context);
        return (new ControlClient(target.Address, target.Token) { CallTimeout = callTimeout ?? CallTimeout }, target.Shown);
    }
}
