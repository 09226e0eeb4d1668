using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Plexus.Node;

/// <summary>
/// Starts the node's worker processes (pool workers and actors' dedicated processes). It is
/// called through the <see cref="Outbox"/>, outside the node's lock, and is called back by the
/// operating system when a process exits, so it takes the node's lock itself to record a start
/// in the <see cref="ProcessTable"/> and to hand a failed start to its owner: an actor's
/// dedicated process is not started again (its actor ends, saying why), a pool worker's start is
/// the <see cref="WorkerPool"/>'s to retry.
/// </summary>
/// <param name="nodeLock">The node's lock.</param>
/// <param name="launch">How to start process n: the command line of a worker for that context.</param>
/// <param name="context">What worker process n, of a job package or of the embedded program (null), needs to find and join the node.</param>
/// <param name="processes">Where a started process waits to join.</param>
/// <param name="poolOf">The pool of a job package (null: the node's own), whose workers' failed starts it retries.</param>
/// <param name="actors">Whose dedicated processes' failed starts end their actor.</param>
/// <param name="logger">Where failed starts are reported.</param>
/// <param name="output">Takes each line a job package's worker prints (package, pid, line, from standard error).</param>
internal sealed class ProcessStarter(
    object nodeLock,
    Func<WorkerLaunchContext, ProcessStartInfo> launch,
    Func<int, string?, WorkerLaunchContext> context,
    ProcessTable processes,
    Func<string?, WorkerPool?> poolOf,
    ActorManager actors,
    ILogger logger,
    Action<string, int, string, bool>? output = null)
{
    public void Start(int process, string? package)
    {
        ProcessStartInfo start;
        try
        {
            start = launch(context(process, package));
        }
        catch (InvalidOperationException e)
        {
            // The launcher cannot make its command (a package not ready here, say): a failed start, not a failed node.
            Failed(process, package, $"Worker process {process} could not be started: {e.Message}");
            return;
        }

        // A job package's workers print for the job's drivers; the node's own pool prints where the node does.
        var forwarded = package is not null && output is not null;
        start.RedirectStandardOutput = forwarded;
        start.RedirectStandardError = forwarded;
        Process os;
        try
        {
            os = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned no process.");
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            Failed(process, package, $"Worker process {process} could not be started ({start.FileName}): {e.Message}");
            return;
        }

        lock (nodeLock)
        {
            processes.AddStarting(process, os, package);
        }

        if (package is not null)
        {
            logger.PackageWorkerStarted(process, os.Id, package);
        }

        if (forwarded)
        {
            var pid = os.Id;
            os.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    output!(package!, pid, line, false);
                }
            };
            os.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    output!(package!, pid, line, true);
                }
            };
            os.BeginOutputReadLine();
            os.BeginErrorReadLine();
        }

        // A worker that dies before it joins is noticed here; after joining, by its connection closing.
        // The handler goes on before events are raised: a process that exits at once (one that cannot
        // start) may raise Exited on another thread as soon as they are, and a start failure missed
        // there would stop the pool's restarts, leaving queued tasks waiting for ever.
        os.Exited += (_, _) =>
        {
            bool beforeJoining;
            lock (nodeLock)
            {
                beforeJoining = processes.RemoveStarting(process);
            }

            if (beforeJoining)
            {
                Failed(process, package, $"Worker process {process} exited with code {ExitCodeOf(os)} before joining the node.");
            }
        };
        os.EnableRaisingEvents = true;
    }

    private void Failed(int process, string? package, string reason)
    {
        logger.WorkerFailedToStart(process, reason);
        var outbox = processes.NewOutbox();
        lock (nodeLock)
        {
            if (!actors.OnStartFailed(process, reason, outbox))
            {
                poolOf(package)?.OnStartFailed(reason, outbox);
            }
        }

        outbox.Flush();
    }

    private static string ExitCodeOf(Process process)
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
