using System.CommandLine;
using Plexus.Cli.Status;
using Plexus.Control;

namespace Plexus.Cli.Commands;

/// <summary>
/// <c>plexus status</c>: the cluster's nodes and jobs, from the head's control service. The head
/// is <c>--address</c>, else <c>PLEXUS_ADDRESS</c>, else the head started on this machine.
/// </summary>
internal static class StatusCommand
{
    // Long enough for a loaded head; short enough that a wrong address does not keep a person waiting.
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON document (camelCase names) instead of tables." };
        var address = SharedOptions.Address("The head's control address. Default: PLEXUS_ADDRESS, else the node started on this machine.");
        var tokenFile = SharedOptions.TokenFile("The file holding the cluster token. Default: PLEXUS_TOKEN, else this machine's head's token file.");
        var command = new Command("status", "Show the cluster's nodes (resources used and offered), its jobs, and work no node can run.")
        {
            json, address, tokenFile,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var (target, shown, token) = ClusterTarget.Find(parsed.GetValue(address), parsed.GetValue(tokenFile), context);

            StatusReport report;
            var client = new ControlClient(target, token) { CallTimeout = CallTimeout };
            await using (client.ConfigureAwait(false))
            {
                try
                {
                    report = await StatusReport.ReadAsync(client, shown, cancellationToken).ConfigureAwait(false);
                }
                catch (ControlServiceUnavailableException e)
                {
                    await context.Error.WriteLineAsync($"plexus status: {e.Message}").ConfigureAwait(false);
                    return ExitCodes.Failure;
                }
            }

            if (parsed.GetValue(json))
            {
                await context.Output.WriteLineAsync(report.ToJson()).ConfigureAwait(false);
            }
            else
            {
                StatusRenderer.Render(report, CliConsole.Create(context), DateTimeOffset.UtcNow);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
