using System.CommandLine;
using Plexus.Cli.Jobs;
using Plexus.Control;

namespace Plexus.Cli.Commands;

/// <summary>
/// <c>plexus stop-job JOB</c>: ends a submitted job and everything it owns. The head asks the node
/// running its driver to end it (SIGTERM to its process group, SIGKILL after 5 s); the job's
/// workers and actors end with its driver. Returns once the job has ended, or says it was asked.
/// </summary>
internal static class StopJobCommand
{
    // Longer than the node's grace between SIGTERM and SIGKILL (5 s) and a few heartbeats.
    private static readonly TimeSpan EndWait = TimeSpan.FromSeconds(30);

    public static Command Create(CliContext context)
    {
        var job = new Argument<string>("JOB") { Description = "The submitted job (its id, as plexus submit and plexus jobs show it)." };
        var head = new HeadConnection();
        var command = new Command("stop-job", "Stop a submitted job: its driver is terminated, and with it the job's workers and actors.")
        {
            job, head.Address, head.TokenFile,
        };
        command.SetAction((parsed, cancellationToken) => JobCommandErrors.RunAsync("stop-job", context, async () =>
        {
            string id = parsed.GetRequiredValue(job);
            var (client, _) = head.Open(parsed, context);
            await using (client.ConfigureAwait(false))
            {
                var submission = await client.StopJobAsync(id, cancellationToken).ConfigureAwait(false);
                var ended = await WaitForEndAsync(client, id, submission.OutputBytes, cancellationToken).ConfigureAwait(false);
                await context.Output.WriteLineAsync(ended is { } state
                    ? $"Job {id} is {state}."
                    : $"Job {id} was asked to stop and has not ended within {EndWait.TotalSeconds:0} s; 'plexus jobs' shows when it has.").ConfigureAwait(false);
                return ExitCodes.Success;
            }
        }));
        return command;
    }

    // The job's log stream (followed from its end, nothing printed) ends when the job ends: no polling.
    private static async Task<string?> WaitForEndAsync(ControlClient client, string id, long outputEnd, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(EndWait);
        try
        {
            await foreach (var _ in client.ReadJobLogsAsync(id, outputEnd, follow: true, deadline.Token).ConfigureAwait(false))
            {
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        var ended = (await client.ListSubmittedJobsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.SubmissionId == id);
        return ended is null ? null : SubmittedJobStatus.StateName(ended.State);
    }
}
