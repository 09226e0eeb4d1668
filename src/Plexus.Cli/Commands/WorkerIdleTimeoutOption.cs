using System.CommandLine;
using System.CommandLine.Parsing;

namespace Plexus.Cli.Commands;

/// <summary>
/// <c>--worker-idle-timeout-ms MS</c> of <c>plexus start</c>: how long a worker beyond its pool's size
/// stays idle before its node asks it to stop (<c>NodeOptions.WorkerIdleTimeout</c>), in milliseconds
/// like the tool's other durations; 0 keeps every worker (<see cref="Timeout.InfiniteTimeSpan"/>, which
/// the node takes for "never"). Parsed to the node's value here, so a test reads what the node gets.
/// </summary>
internal static class WorkerIdleTimeoutOption
{
    public const string Name = "--worker-idle-timeout-ms";

    public static Option<TimeSpan?> Create() => new(Name)
    {
        Description = "How long a worker beyond its pool's size (started for actors' reservations) stays idle before the node asks it to stop. "
            + "Default: 5000; 0 keeps every worker.",
        HelpName = "MS",
        CustomParser = Parse,
    };

    private static TimeSpan? Parse(ArgumentResult result)
    {
        int milliseconds = BoundedNumber.Parse(result, Name, 0, int.MaxValue, "a number of milliseconds, or 0 to keep every worker");
        return milliseconds == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(milliseconds);
    }
}
