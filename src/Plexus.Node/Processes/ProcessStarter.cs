using System.Diagnostics;
using System.Globalization;

namespace Plexus.Node;

/// <summary>
/// Starts the node's worker processes (pool workers and actors' dedicated processes). It runs
/// outside the node's lock, called through the <see cref="Outbox"/>, and reports each start, and
/// each process that exits, through callbacks that take the lock themselves.
/// </summary>
/// <param name="launch">How to start process n: the command line of a worker for that context.</param>
/// <param name="context">What worker process n needs to find and join the node.</param>
/// <param name="started">A process is running and may now join.</param>
/// <param name="exited">A started process exited (before or after joining).</param>
/// <param name="failed">A process could not be started at all, and why.</param>
internal sealed class ProcessStarter(
    Func<WorkerLaunchContext, ProcessStartInfo> launch,
    Func<int, WorkerLaunchContext> context,
    Action<int, Process> started,
    Action<int, Process> exited,
    Action<int, string> failed)
{
    public void Start(int process)
    {
        var start = launch(context(process));
        Process os;
        try
        {
            os = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned no process.");
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            failed(process, $"Worker process {process} could not be started ({start.FileName}): {e.Message}");
            return;
        }

        started(process, os);
        // A worker that dies before it joins is noticed here; after joining, by its connection closing.
        os.EnableRaisingEvents = true;
        os.Exited += (_, _) => exited(process, os);
    }

    /// <summary>The exit code of an exited process, as text; "unknown" when it cannot be read.</summary>
    public static string ExitCodeOf(Process process)
    {
        try
        {
            return process.ExitCode.ToString(CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }
}
