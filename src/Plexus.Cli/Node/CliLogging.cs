using Microsoft.Extensions.Logging;

namespace Plexus.Cli.Node;

/// <summary>
/// How the tool's long-running processes (a foreground node, the head's control service) log: one
/// line per event, timestamped, to the console; and the same events as JSON lines to the process's
/// own file in the node's log directory (<c>node-PID.log</c>, <c>control-PID.log</c>), which
/// <c>plexus logs --node</c> reads.
/// </summary>
internal static class CliLogging
{
    /// <summary>A factory logging to the console and to <c>ROLE-PID.log</c> in <paramref name="logDirectory"/>.</summary>
    public static ILoggerFactory CreateFactory(string logDirectory, string role) => LoggerFactory.Create(logging => logging
        .AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
        })
        .AddProvider(Plexus.Node.ProcessLogProvider.ForProcess(logDirectory, role))
        .SetMinimumLevel(LogLevel.Information));
}
