using System.Diagnostics;

namespace Plexus.Node;

/// <summary>The worker pool: starting workers, waiting for them to join, restarting them.</summary>
public sealed partial class NodeDaemon
{
    private async Task WaitForWorkersAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            lock (_lock)
            {
                if (_startFailure is { } failure)
                {
                    throw new InvalidOperationException(failure);
                }

                if (_dispatcher.Workers.Count >= count)
                {
                    _started = true;
                    return;
                }
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"Only {_dispatcher.Workers.Count} of {count} workers joined within {timeout}.");
            }

            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    private void StartWorker() => StartWorkerProcess(NextProcessNumber(), dedicatedTo: null);

    private int NextProcessNumber()
    {
        lock (_lock)
        {
            return _disposed ? -1 : _nextProcess++;
        }
    }

    // A pool worker, or a process of its own for one actor (`dedicatedTo`), which runs no tasks.
    private void StartWorkerProcess(int process, TaskId? dedicatedTo)
    {
        if (process < 0)
        {
            return;
        }

        var start = _launch(new WorkerLaunchContext(
            process, NodeId, SocketName, _store.Arena.OpenPath, _store.Arena.Capacity, _options.ClusterToken, _slotsPerWorker, _spills.Path));
        Process os;
        try
        {
            os = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned no process.");
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            OnWorkerFailedToStart(process, dedicatedTo, $"Worker process {process} could not be started ({start.FileName}): {e.Message}");
            return;
        }

        lock (_lock)
        {
            _starting[process] = os;
        }

        // A worker that dies before it joins is noticed here; after joining, by its connection closing.
        os.EnableRaisingEvents = true;
        os.Exited += (_, _) =>
        {
            bool beforeJoining;
            lock (_lock)
            {
                beforeJoining = _starting.Remove(process);
            }

            if (beforeJoining)
            {
                OnWorkerFailedToStart(process, dedicatedTo, $"Worker process {process} exited with code {ExitCodeOf(os)} before joining the node.");
            }
        };
    }

    private static string ExitCodeOf(Process process)
    {
        try
        {
            return process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }

    /// <summary>
    /// While starting, a worker that cannot start fails the node's start. Later, it is started
    /// again with a growing delay; after <see cref="MaxFailedStarts"/> failures in a row with no
    /// worker left, queued tasks fail instead of waiting for a worker that never comes.
    /// </summary>
    private void OnWorkerFailedToStart(int process, TaskId? dedicatedTo, string reason)
    {
        _logger.WorkerFailedToStart(process, reason);
        var outbox = NewOutbox();
        if (dedicatedTo is { } actor)
        {
            // A dedicated process is not started again: its actor ends, saying why.
            lock (_lock)
            {
                EndActor(actor, $"Actor {actor} could not start its dedicated process: {reason}", outbox, tellWorker: false);
                _actors.ForgetProcess(process);
            }

            outbox.Flush();
            return;
        }

        int failures;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            if (!_started)
            {
                _startFailure = reason;
                return;
            }

            failures = ++_failedStarts;
            if (failures >= MaxFailedStarts && _dispatcher.Workers.Count == 0)
            {
                _dispatcher.FailAllQueued(outbox, reason);
                FailWaitingActors(reason, outbox);
            }
        }

        outbox.Flush();
        var delay = TimeSpan.FromMilliseconds(Math.Min(5_000, 50 * (1 << Math.Min(failures, 7))));
        _ = Task.Delay(delay).ContinueWith(_ => StartWorker(), TaskScheduler.Default);
    }

    private const int MaxFailedStarts = 5;
}
