using System.CommandLine;
using Plexus.Cli.Jobs;
using Plexus.Cli.Logs;
using Plexus.Cli.State;

namespace Plexus.Cli.Commands;

/// <summary>
/// <c>plexus logs JOB [--follow]</c>: a submitted job's output (standard output and error, as its
/// driver printed them). <c>plexus logs --node NODE [--process worker-PID|node|control] [--tail N]
/// [--follow]</c>: a process's own log file on a node; <c>--list</c> lists the node's log files.
/// </summary>
internal static class LogsCommand
{
    public static Command Create(CliContext context)
    {
        var job = new Argument<string?>("JOB") { Description = "The submitted job (its id, as plexus submit and plexus jobs show it).", Arity = ArgumentArity.ZeroOrOne };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing what the job (or the process) prints until it ends (or Ctrl+C)." };
        var node = StateFlags.Node("Read a process's log file on this node instead of a job's output.");
        var process = new Option<string>("--process")
        {
            Description = "With --node: whose log, worker-PID, node or control (the newest of those), or a file name as --list shows it. Default: node.",
            HelpName = "worker-PID|node|control",
            DefaultValueFactory = _ => "node",
        };
        var tail = new Option<int?>("--tail")
        {
            Description = "With --node: only the last N lines.",
            HelpName = "N",
            CustomParser = result => BoundedNumber.Parse(result, "--tail", 1, 100_000, "a number from 1 to 100000"),
        };
        var list = new Option<bool>("--list") { Description = "With --node: list the node's log files (name, bytes, last written)." };
        var head = new HeadConnection();
        var command = new Command("logs", "Print a submitted job's output (with --follow, until the job ends), or with --node a process's log file on a node.")
        {
            job, follow, node, process, tail, list, head.Address, head.TokenFile,
        };
        command.Validators.Add(result =>
        {
            var hasJob = result.GetValue(job) is not null;
            var hasNode = result.GetValue(node) is not null;
            if (hasJob == hasNode)
            {
                result.AddError("Give a JOB, or --node NODE for a node's process logs (not both).");
            }
            else if (!hasNode && (result.GetValue(list) || result.GetValue(tail) is not null || result.GetResult(process) is { Implicit: false }))
            {
                result.AddError("--list, --tail and --process read a node's log files: give --node NODE.");
            }
        });
        command.SetAction((parsed, cancellationToken) => JobCommandErrors.RunAsync("logs", context, async () =>
        {
            var (client, _) = head.Open(parsed, context);
            await using (client.ConfigureAwait(false))
            {
                if (parsed.GetValue(node) is not { } nodeId)
                {
                    await JobOutputPrinter.PrintAsync(client, parsed.GetRequiredValue(job)!, 0, parsed.GetValue(follow), context, cancellationToken).ConfigureAwait(false);
                }
                else if (parsed.GetValue(list))
                {
                    await NodeLogPrinter.ListAsync(client, nodeId, context, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    try
                    {
                        await NodeLogPrinter.PrintAsync(
                            client, nodeId, parsed.GetValue(process)!, parsed.GetValue(tail), parsed.GetValue(follow), context, cancellationToken).ConfigureAwait(false);
                    }
                    catch (InvalidOperationException e)
                    {
                        // The node is not alive, did not answer, or has no such file: the message says which.
                        await context.Error.WriteLineAsync($"plexus logs: {e.Message}").ConfigureAwait(false);
                        return ExitCodes.Failure;
                    }
                }

                return ExitCodes.Success;
            }
        }));
        return command;
    }
}
