using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Node;

namespace Plexus.Worker;

/// <summary>
/// A worker's own log: <c>worker-PID.log</c> in the directory its node names in
/// <see cref="DirectoryVariable"/> (a cluster node's <c>&lt;temp-dir&gt;/logs</c>), every line
/// carrying the worker's job and process number; nothing when the node names none (the embedded
/// cluster). What a user's task prints is not here: it goes to the driver, as before.
/// </summary>
internal sealed class WorkerLogging : IDisposable
{
    /// <summary>The environment variable naming the directory; unset: no log file.</summary>
    public const string DirectoryVariable = "PLEXUS_WORKER_LOG_DIRECTORY";

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

    public void Dispose() => _provider?.Dispose();
}
