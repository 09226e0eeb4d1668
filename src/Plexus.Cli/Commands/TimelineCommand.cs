using System.CommandLine;
using Plexus.Cli.State;
using Plexus.Control;

namespace Plexus.Cli.Commands;

/// <summary>
/// <c>plexus timeline --job J -o trace.json</c>: a job's tasks and actor calls as a Chrome trace
/// (open it in Perfetto, ui.perfetto.dev, or chrome://tracing): one span per task that started,
/// on its node and a worker slot there.
/// </summary>
internal static class TimelineCommand
{
    public static Command Create(CliContext context)
    {
        var job = StateFlags.Job("The job whose tasks to draw.");
        job.Required = true;
        var output = new Option<FileInfo>("--output", "-o") { Description = "The trace file to write (Chrome trace JSON).", HelpName = "FILE", Required = true };
        var address = StateFlags.Address();
        var tokenFile = StateFlags.TokenFile();
        var command = new Command("timeline", "Write a job's task timeline as a Chrome trace, for Perfetto.") { job, output, address, tokenFile };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var target = ClusterTarget.Find(parsed.GetValue(address), parsed.GetValue(tokenFile), context);
            var file = parsed.GetValue(output)!;
            var cluster = ClusterState.Connect(target.Address, target.Token, StateCommands.CallTimeout);
            await using (cluster.ConfigureAwait(false))
            {
                return await StateCommands.RunAsync("plexus timeline", context, async () =>
                {
                    var spans = await cluster.GetTimelineAsync(parsed.GetValue(job)!, cancellationToken).ConfigureAwait(false);
                    int written;
                    var stream = file.Create();
                    await using (stream.ConfigureAwait(false))
                    {
                        written = ChromeTrace.Write(stream, spans, DateTimeOffset.UtcNow);
                    }

                    await context.Output.WriteLineAsync($"Wrote {written} task spans of job {parsed.GetValue(job)} to {file.FullName}.").ConfigureAwait(false);
                }).ConfigureAwait(false);
            }
        });
        return command;
    }
}
