using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Passes the task log entries a worker of this node sends (<see cref="TaskLogs"/>) to the driver
/// of their job, on this node or another: the driver attached here when there is one, else the
/// one the job's package names (<c>NodeDaemon.DriverOf</c>, learnt from the work forwarded
/// here). A worker speaks only for jobs whose code it runs (its package is theirs); entries of a
/// job whose driver is gone or unknown have nobody to show them and go no further (the worker's
/// log file has them). Called under the node's lock.
/// </summary>
internal sealed class TaskLogRelay(ProcessAddress node)
{
    // The driver attached to this node of each job, in process or over a socket, until it exits.
    private readonly Dictionary<JobId, ProcessAddress> _drivers = [];

    public void DriverAttached(JobId job, ProcessAddress driver) => _drivers[job] = driver;

    public void OnProcessExited(ProcessAddress process)
    {
        foreach (var (job, driver) in _drivers.Where(d => d.Value == process).ToList())
        {
            _drivers.Remove(job);
        }
    }

    /// <summary>
    /// Relays <paramref name="logs"/> from a worker running <paramref name="senderPackage"/>'s code
    /// (null: the node's own program) for a job whose code is <paramref name="jobPackage"/> and whose
    /// driver, as its package names it, is <paramref name="packageDriver"/>.
    /// </summary>
    public void Relay(TaskLogs logs, string? senderPackage, string? jobPackage, ProcessAddress? packageDriver, Outbox outbox)
    {
        if (senderPackage != jobPackage)
        {
            return;
        }

        var driver = _drivers.TryGetValue(logs.Job, out var attached) ? attached : packageDriver;
        if (driver is { } target)
        {
            outbox.Add(target, new TaskLogs { Target = target, Source = node, Job = logs.Job, Pid = logs.Pid, Entries = logs.Entries, Dropped = logs.Dropped });
        }
    }
}
