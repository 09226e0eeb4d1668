using System.Text.RegularExpressions;
using Plexus.Protocol.Control;

namespace Plexus.Cli.Logs;

/// <summary>
/// Which of a node's log files <c>--process</c> names: <c>node</c> and <c>control</c> the newest of
/// those processes' files (a restarted node or control service writes a new one, named by its new
/// pid), <c>worker-PID</c> (or <c>node-PID</c>, <c>control-PID</c>) that process's, and a file name
/// (<c>worker-5678.1.log</c>, a rotated one) itself.
/// </summary>
internal static partial class ProcessLogNames
{
    /// <summary>The file of <paramref name="process"/> among <paramref name="files"/>; null when none is.</summary>
    public static string? Resolve(string process, IReadOnlyList<LogFileInfo> files)
    {
        if (process is "node" or "control")
        {
            return files.Where(f => CurrentFile().Match(f.Name) is { Success: true } m && m.Groups["role"].Value == process)
                .OrderByDescending(f => f.ModifiedUnixMicros).Select(f => f.Name).FirstOrDefault();
        }

        var name = process.EndsWith(".log", StringComparison.Ordinal) ? process : process + ".log";
        return files.Any(f => f.Name == name) ? name : null;
    }

    [GeneratedRegex(@"^(?<role>[a-z]+)-\d+\.log$")]
    private static partial Regex CurrentFile();
}
