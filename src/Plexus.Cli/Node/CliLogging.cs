using Microsoft.Extensions.Logging;

namespace Plexus.Cli.Node;

/// <summary>How the tool's long-running processes (a foreground node, the head's control service) log: one line per event, timestamped, to the console.</summary>
internal static class CliLogging
{
    public static ILoggerFactory CreateFactory() => LoggerFactory.Create(logging => logging
        .AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
        })
        .SetMinimumLevel(LogLevel.Information));
}
