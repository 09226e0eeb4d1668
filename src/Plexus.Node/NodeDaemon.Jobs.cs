using Microsoft.Extensions.Logging;
using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Jobs that bring their code in a package (a cluster's drivers): each package gets a pool of
/// workers started from it on this node the first time one of its jobs has work here, once the
/// host has made the package ready (<see cref="NodeOptions.PreparePackage"/>). Workers load one
/// program each, so they run only the work of jobs of their package.
/// </summary>
internal sealed partial class NodeDaemon
{
    // The package of each job that brought one; the embedded program's jobs have none. Under the lock.
    private readonly Dictionary<JobId, string> _jobPackages = [];
    // The driver of each job that brought a package, when known: it is shown what the job's workers print. Under the lock.
    private readonly Dictionary<JobId, ProcessAddress> _jobDrivers = [];
    // The worker pool of each package in use on this node. Under the lock.
    private readonly Dictionary<string, WorkerPool> _packagePools = [];

    // Every pool of the node: its own and the packages'.
    private IEnumerable<WorkerPool> Pools => _packagePools.Values.Prepend(_pool);

    // The package of a job's code here; null for a job of the embedded program. Under the lock.
    private string? PackageOf(JobId job) => _jobPackages.GetValueOrDefault(job);

    // The driver of a job, when this node knows it.
    private ProcessAddress? DriverOf(JobId job) => _jobDrivers.TryGetValue(job, out var driver) ? driver : null;

    // The code of a job's actors, for a restartable actor's record.
    private ActorCode CodeOf(JobId job) => new(PackageOf(job), DriverOf(job));

    // The pool of a package (null: the node's own).
    private WorkerPool? PoolOf(string? package) => package is null ? _pool : _packagePools.GetValueOrDefault(package);

    /// <summary>
    /// Under the lock: job <paramref name="job"/> runs the code of <paramref name="package"/>. The
    /// first job of a package here prepares it and then starts its pool; until then its work waits
    /// queued. Throws <see cref="ProtocolViolationException"/> when this node runs no packages or
    /// the job named another package before.
    /// </summary>
    private void UseJobPackage(JobId job, string package, Outbox outbox, ProcessAddress? driver = null)
    {
        if (_options.PreparePackage is null)
        {
            throw new ProtocolViolationException($"job {job} brings package {package}, and this node runs no job packages");
        }

        if (driver is { } jobDriver)
        {
            _jobDrivers[job] = jobDriver;
        }

        if (_jobPackages.TryGetValue(job, out var known))
        {
            if (known != package)
            {
                throw new ProtocolViolationException($"job {job} runs package {known} on this node, not {package}");
            }

            return;
        }

        _jobPackages[job] = package;
        if (_packagePools.ContainsKey(package))
        {
            return;
        }

        WorkerPool? pool = null;
        pool = new WorkerPool(_packageWorkers, _processes, _scheduler, _actors, process => StartProcess(process, package),
            () => Locked(pool!.Restart), _time, _logger, _options.WorkerIdleTimeout, package);
        _packagePools[package] = pool;
        outbox.Defer(() => _ = PreparePackageAsync(pool, package));
    }

    /// <summary>
    /// Jobs that ended (the control service lists them finished): a package none of this node's
    /// running jobs uses any more has its pool stopped, its workers told to shut down, unless its
    /// workers host actors (detached ones outlive their job).
    /// </summary>
    /// <returns>The jobs kept for their actors: retire them again later, once their actors may be gone.</returns>
    public IReadOnlyList<JobId> RetireJobs(IEnumerable<JobId> finished)
    {
        var kept = new List<JobId>();
        Locked(outbox => RetireJobs(finished, kept, outbox));
        return kept;
    }

    private void RetireJobs(IEnumerable<JobId> finished, List<JobId> kept, Outbox outbox)
    {
        foreach (var job in finished)
        {
            if (!_jobPackages.TryGetValue(job, out var package))
            {
                continue;
            }

            if (_actors.HostsAnyOf(job))
            {
                kept.Add(job);
                continue;
            }

            _jobPackages.Remove(job);
            _jobDrivers.Remove(job);
            if (_jobPackages.ContainsValue(package) || !_packagePools.Remove(package, out var pool))
            {
                continue;
            }

            pool.Stop();
            foreach (var worker in _scheduler.Workers.Values.Where(w => w.Package == package))
            {
                outbox.Add(worker.Link, new Shutdown());
            }
        }
    }

    // A line a worker of a package printed: to the node's own output (its log), and to the drivers of the jobs of that package.
    private void ForwardWorkerOutput(string package, int pid, string line, bool error)
    {
        (error ? Console.Error : Console.Out).WriteLine($"(worker pid={pid}) {line}");
        Locked(outbox =>
        {
            foreach (var (job, driver) in _jobDrivers)
            {
                if (_jobPackages.GetValueOrDefault(job) == package)
                {
                    outbox.Add(driver, new WorkerOutput { Target = driver, Source = _address, Pid = pid, Error = error, Lines = [line] });
                }
            }
        });
    }

    private async Task PreparePackageAsync(WorkerPool pool, string package)
    {
        try
        {
            await _options.PreparePackage!(package, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            // Its work cannot run here: it fails as work whose workers cannot start does.
            _logger.LogError(e, "Job package {Package} could not be made ready on this node", package);
            var reason = $"job package {package} could not be made ready on node {NodeId:x16}: {e.Message}";
            Locked(outbox =>
            {
                _scheduler.FailQueued(spec => PackageOf(spec.Id.Job) == package, outbox, reason);
                _actors.FailPending(reason, outbox, actor => PackageOf(actor.Id.Job) == package);
                // Actors' dedicated processes waiting for the package end too (WorkerPool.Ready faults).
                pool.OnStartFailed(reason, outbox);
            });
            return;
        }

        Locked(pool.StartServing);
    }
}
