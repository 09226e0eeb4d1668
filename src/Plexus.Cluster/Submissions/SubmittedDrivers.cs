using Microsoft.Extensions.Logging;
using Plexus.Control;
using Plexus.Hosting.Packages;

namespace Plexus.Cluster.Submissions;

/// <summary>
/// The drivers submitted to the cluster that this node runs: started as the control service hands
/// them out in heartbeat replies (each once, however often it is repeated), stopped when it says
/// so; on the node's own stop, ended with it (the service then fails them: their node left).
/// </summary>
internal sealed class SubmittedDrivers(DriverHostContext host, IControlClient control, PackageCache packages, ILogger logger) : IAsyncDisposable
{
    // How long a stopping node waits for its drivers' last output and exits to reach the service, after their grace.
    private static readonly TimeSpan SendingGrace = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();

    // Guards _started and _running.
    private readonly Lock _lock = new();

    // Every submission started here: the service repeats a running one in each reply until it ends.
    private readonly HashSet<string> _started = new(StringComparer.Ordinal);

    // The drivers running here, and the tasks that run them to their end.
    private readonly Dictionary<string, (SubmittedDriver Driver, Task Run)> _running = new(StringComparer.Ordinal);

    /// <summary>Takes up a heartbeat answer's drivers to start and to stop.</summary>
    public void Take(HeartbeatAnswer answer)
    {
        lock (_lock)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            foreach (var assignment in answer.DriversToStart)
            {
                if (_started.Add(assignment.SubmissionId))
                {
                    var driver = new SubmittedDriver(assignment, host, control, packages, logger);
                    _running[driver.SubmissionId] = (driver, RunAsync(driver));
                }
            }

            foreach (var id in answer.DriversToStop)
            {
                if (_running.TryGetValue(id, out var running))
                {
                    running.Driver.Stop();
                }
            }
        }
    }

    private async Task RunAsync(SubmittedDriver driver)
    {
        // Off the heartbeat: staging a package and running a driver take long.
        await Task.Yield();
        try
        {
            await driver.RunAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Submitted job {Submission} could not be run", driver.SubmissionId);
        }
        finally
        {
            lock (_lock)
            {
                _running.Remove(driver.SubmissionId);
            }
        }
    }

    /// <summary>
    /// Stops every driver running here (SIGTERM, SIGKILL after the grace) and waits for them to end
    /// and their output and exit to be sent, for a while: what is not sent by then is given up.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        List<(SubmittedDriver Driver, Task Run)> running;
        lock (_lock)
        {
            running = [.. _running.Values];
            foreach (var (driver, _) in running)
            {
                driver.Stop($"Node {host.NodeHex}, which ran the driver, stopped.");
            }
        }

        var ended = Task.WhenAll(running.Select(r => r.Run));
        await Task.WhenAny(ended, Task.Delay(SubmittedDriver.StopGrace + SendingGrace)).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await ended.ConfigureAwait(false);
        _stopping.Dispose();
    }
}
