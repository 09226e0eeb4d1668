using System.CommandLine;
using System.Text.Json;
using Plexus.Cli.Jobs;

namespace Plexus.Cli.Commands;

/// <summary><c>plexus jobs [--json]</c>: the jobs submitted to the cluster, with state, start, duration, submitter, entrypoint, exit code and node.</summary>
internal static class JobsCommand
{
    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON document (camelCase names) instead of a table." };
        var head = new HeadConnection();
        var command = new Command("jobs", "List the jobs submitted to the cluster (plexus submit): state, start, duration, submitter, entrypoint, exit code, node.")
        {
            json, head.Address, head.TokenFile,
        };
        command.SetAction((parsed, cancellationToken) => JobCommandErrors.RunAsync("jobs", context, async () =>
        {
            var (client, _) = head.Open(parsed, context);
            await using (client.ConfigureAwait(false))
            {
                var report = JobsReport.From(await client.ListSubmittedJobsAsync(cancellationToken).ConfigureAwait(false), DateTimeOffset.UtcNow);
                if (parsed.GetValue(json))
                {
                    await context.Output.WriteLineAsync(JsonSerializer.Serialize(report, CliJsonContext.Default.JobsReport)).ConfigureAwait(false);
                }
                else
                {
                    JobsRenderer.Render(report, CliConsole.Create(context));
                }

                return ExitCodes.Success;
            }
        }));
        return command;
    }
}
