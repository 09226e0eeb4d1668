using Plexus.Control;
using Plexus.Control.Submissions;

namespace Plexus.Cli.Jobs;

/// <summary>
/// What the job commands say when the head cannot do what was asked: an unknown job, a head out of
/// reach or refusing the token. Exit code 1 with the message; usage errors stay 2 (<see cref="UsageException"/>).
/// </summary>
internal static class JobCommandErrors
{
    public static async Task<int> RunAsync(string command, CliContext context, Func<Task<int>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (Exception e) when (e is SubmissionNotFoundException or ControlServiceUnavailableException or ArgumentException)
        {
            await context.Error.WriteLineAsync($"plexus {command}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
