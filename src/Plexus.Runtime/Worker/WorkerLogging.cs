using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Node;

namespace Plexus.Worker;

/// <summary>
/// A worker's own log: <c>worker-PID.log</c> in the directory its node names in
/// <see cref="DirectoryVariable"/> (a cluster node's <c>&lt;temp-dir&gt;/logs</c>), every line
/// carrying the worker's job, process number and pid; nothing when the node names none (the embedded
/// cluster, unless its program sets <c>PlexusOptions.LogDirectory</c>). What user code logs
/// through its Plexus logger is written here too (<see cref="WorkerTaskLogSink"/>); what a task
/// prints is not: it goes to the driver.
/// </summary>
internal sealed class WorkerLogging : IDisposable
{
    /// <summary>The environment variable naming the directory; unset: no log file.</summary>
    public const string DirectoryVariable = "PLEXUS_WORKER_LOG_DIRECTORY";

    /// <summary>The environment variable naming the lowest level of log entries of user code outside a task or actor; unset: Information.</summary>
    public const string LevelVariable = "PLEXUS_WORKER_LOG_LEVEL";

    // Null when the worker writes no log file.
    private readonly ProcessLogProvider? _provider;

    public WorkerLogging(WorkerSettings settings)
    {
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } directory)
        {
            try
            {
                _provider = ProcessLogProvider.ForProcess(directory, "worker",
                [
                    new("job", settings.Job.ToString()),
                    new("node", settings.NodeId.ToString("x16", System.Globalization.CultureInfo.InvariantCulture)),
                    new("process", settings.Process.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new("pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The worker runs without its log file rather than not at all; its node's output shows why.
                Console.Error.WriteLine($"plexus worker {settings.Process}: cannot write its log in {directory}: {e.Message}");
            }
        }

        Logger = _provider?.CreateLogger("Plexus.Worker") ?? NullLogger.Instance;
    }

    public ILogger Logger { get; }

    /// <summary>
    /// The worker's log file, when it has one: its own lines from Information up, and task log entries
    /// at their job's level (<see cref="WorkerTaskLogSink"/>).
    /// </summary>
    public ProcessLogProvider? File => _provider;

    /// <summary>
    /// The lowest level of what user code logs outside a task or actor (tasks and actors carry their job's
    /// level) that the worker writes and sends to drivers, from
    /// <see cref="LevelVariable"/> (a level's name, as <c>Microsoft.Extensions.Logging.LogLevel</c>
    /// spells it); Information when unset or not a level.
    /// </summary>
    public LogLevel TaskLogLevel { get; } =
        Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable(LevelVariable), ignoreCase: true, out var level) ? level : LogLevel.Information;

    public void Dispose() => _provider?.Dispose();
}
