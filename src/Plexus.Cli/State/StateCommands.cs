using Plexus.Control;

namespace Plexus.Cli.State;

/// <summary>What the commands reading the cluster's state share: their call timeout and how a failed read is told.</summary>
internal static class StateCommands
{
    /// <summary>Long enough for a loaded head; short enough that a wrong address does not keep a person waiting.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Runs a read; a head that cannot answer or refuses a query, or an output file that cannot be written, is exit code 1 with the reason on standard error.</summary>
    public static async Task<int> RunAsync(string command, CliContext context, Func<Task> read)
    {
        try
        {
            await read().ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is ClusterStateUnavailableException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"{command}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
