using System.CommandLine;
using Plexus.Cli.Node;
using Plexus.Cli.Processes;

namespace Plexus.Cli.Commands;

/// <summary><c>plexus stop</c>: stops the node running from a node directory (SIGTERM: it drains and leaves; SIGKILL for it and its workers after the grace period).</summary>
internal static class StopCommand
{
    public static Command Create(CliContext context)
    {
        var tempDir = SharedOptions.TempDirectory(context);
        var gracePeriod = new Option<int>("--grace-period")
        {
            Description = "Seconds the node has to finish the tasks running on it (it takes no new work meanwhile) before it is killed.",
            DefaultValueFactory = _ => 30,
            CustomParser = result => BoundedNumber.Parse(result, "--grace-period", 0, 86_400, "a number of seconds between 0 and 86400"),
        };
        var command = new Command("stop", "Stop the node started on this machine with plexus start: it takes no new work, lets the tasks running on it finish, leaves the cluster and stops its workers.")
        {
            tempDir,
            gracePeriod,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var files = new NodeStateFiles(parsed.GetRequiredValue(tempDir));
            if (files.FindRunningNode() is not { } node)
            {
                // A pid file left by a node that was killed, or whose pid another process now has.
                files.RemoveNodeFiles();
                await context.Output.WriteLineAsync($"No node is running from {files.Directory}.").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var stopper = new NodeProcessStopper { Grace = TimeSpan.FromSeconds(parsed.GetValue(gracePeriod)) };
            var outcome = await stopper.StopAsync(node.Pid, cancellationToken).ConfigureAwait(false);
            files.RemoveNodeFiles();
            await context.Output.WriteLineAsync(outcome.Killed
                ? $"The node (pid {node.Pid}) did not exit within {stopper.Grace.TotalSeconds:0} s of SIGTERM: killed it and {outcome.KilledDescendants} process(es) it started."
                : $"Stopped the node (pid {node.Pid}).").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
