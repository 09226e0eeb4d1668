using System.CommandLine;
using Plexus.Cli.Jobs;

namespace Plexus.Cli.Commands;

/// <summary><c>plexus logs JOB [--follow]</c>: a submitted job's output (standard output and error, as its driver printed them).</summary>
internal static class LogsCommand
{
    public static Command Create(CliContext context)
    {
        var job = new Argument<string>("JOB") { Description = "The submitted job (its id, as plexus submit and plexus jobs show it)." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing what the job prints until it ends." };
        var head = new HeadConnection();
        var command = new Command("logs", "Print a submitted job's output; with --follow, until the job ends.")
        {
            job, follow, head.Address, head.TokenFile,
        };
        command.SetAction((parsed, cancellationToken) => JobCommandErrors.RunAsync("logs", context, async () =>
        {
            var (client, _) = head.Open(parsed, context);
            await using (client.ConfigureAwait(false))
            {
                await JobOutputPrinter.PrintAsync(client, parsed.GetRequiredValue(job), 0, parsed.GetValue(follow), context, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }
        }));
        return command;
    }
}
