using System.CommandLine;
using System.Text.Json;
using Plexus.Cli.State;
using Plexus.Control;

namespace Plexus.Cli.Commands;

/// <summary><c>plexus summary tasks [--job J] [--json]</c>: how many tasks of each function are in each state, counted by the head.</summary>
internal static class SummaryCommand
{
    public static Command Create(CliContext context)
    {
        var job = StateFlags.Job("Only the tasks of this job. Default: every job's.");
        var json = StateFlags.Json();
        var address = StateFlags.Address();
        var tokenFile = StateFlags.TokenFile();
        var tasks = new Command("tasks", "Counts of tasks by function and state.") { job, json, address, tokenFile };
        tasks.SetAction(async (parsed, cancellationToken) =>
        {
            var target = ClusterTarget.Find(parsed.GetValue(address), parsed.GetValue(tokenFile), context);
            var cluster = ClusterState.Connect(target.Address, target.Token, StateCommands.CallTimeout);
            await using (cluster.ConfigureAwait(false))
            {
                return await StateCommands.RunAsync("plexus summary tasks", context, async () =>
                {
                    var summary = await cluster.SummarizeTasksAsync(parsed.GetValue(job), cancellationToken).ConfigureAwait(false);
                    if (parsed.GetValue(json))
                    {
                        await context.Output.WriteLineAsync(JsonSerializer.Serialize(summary, CliJsonContext.Default.IReadOnlyListFunctionTaskCounts)).ConfigureAwait(false);
                    }
                    else
                    {
                        StateTables.Summary(summary, CliConsole.Create(context));
                    }
                }).ConfigureAwait(false);
            }
        });
        return new Command("summary", "Summarize the cluster's state.") { tasks };
    }
}
