using System.CommandLine;
using Plexus.Cli.Node;
using Plexus.Cli.Processes;

namespace Plexus.Cli.Commands;

/// <summary><c>plexus stop</c>: stops the node running from a node directory (SIGTERM, then SIGKILL for it and its workers).</summary>
internal static class StopCommand
{
    public static Command Create(CliContext context) => Create(context, new NodeProcessStopper());

    /// <summary>The command with the stopper given (tests shorten its grace period).</summary>
    public static Command Create(CliContext context, NodeProcessStopper stopper)
    {
        var tempDir = SharedOptions.TempDirectory(context);
        var command = new Command("stop", "Stop the node started on this machine with plexus start: it leaves the cluster and stops its workers.")
        {
            tempDir,
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
