using Plexus.Protocol.Messages;
using Plexus.Protocol.Security;

namespace Plexus.Node;

/// <summary>
/// Keeps jobs apart on the node: a runtime's request that names another job's object or actor is
/// admitted only with that id's <see cref="CapabilityTag"/>, which only the id's own job hands out
/// (see docs/ARCHITECTURE.md, Isolation between jobs). Checked where a request enters the cluster,
/// at the requester's node; a request of the id's own job costs one comparison. Called under the
/// node's lock.
/// </summary>
internal sealed class JobAccess(CapabilityKey key)
{
    // The job of each driver attached over a socket, by process number: it speaks for that job
    // only, whatever its requests declare. Workers and the node's in-process driver run Plexus's
    // own runtime, which declares the job of the code it runs.
    private readonly Dictionary<int, JobId> _socketDrivers = [];

    /// <summary>The key the node's tags are made with (actor lookups hand them out).</summary>
    public CapabilityKey Key => key;

    public void DriverAttached(int process, JobId job) => _socketDrivers[process] = job;

    public void OnProcessExited(int process) => _socketDrivers.Remove(process);

    /// <summary>The refusal to answer <paramref name="get"/> with, or null when its requester may read the object.</summary>
    public RequestFailed? Refusal(int from, GetObject get, ProcessAddress node)
    {
        var requester = JobOf(from, get.Job);
        if (get.Object.Task.Job == requester || key.Admits(get.Object, get.Capability))
        {
            return null;
        }

        return new RequestFailed
        {
            Target = get.Source, Source = node, RequestId = get.RequestId,
            Error = AccessDenials.ObjectRead(requester, get.Object),
        };
    }

    /// <summary>The refusal to answer <paramref name="call"/> with, or null when its caller may call the actor.</summary>
    public TaskFinished? Refusal(int from, CallActor call, ProcessAddress node)
    {
        var caller = JobOf(from, call.Call.CallerJob);
        var actor = call.Call.Actor;
        if (actor.Job == caller || key.Admits(actor, call.Call.Capability))
        {
            return null;
        }

        return new TaskFinished
        {
            Target = call.Call.Caller, Source = node, Task = call.Call.Id, Returns = [],
            Error = ErrorInfo.Of(ErrorKind.ActorAccessDenied,
                $"Job {caller} may not call actor {actor}: it belongs to job {actor.Job}, which did not hand over a handle to it " +
                "(an id read from a listing or a log, or guessed, is not a handle). Use a handle that job passed on, or find the actor " +
                "by name in a namespace both jobs use (GetActorAsync)."),
        };
    }

    /// <summary>Why <paramref name="kill"/> is refused, or null when its sender may end the actor.</summary>
    public string? Refusal(int from, KillActor kill)
    {
        var killer = JobOf(from, kill.Job);
        return kill.Actor.Job == killer || key.Admits(kill.Actor, kill.Capability) ? null
            : $"Job {killer} may not kill actor {kill.Actor}: it belongs to job {kill.Actor.Job}, which did not hand over a handle to it.";
    }

    private JobId JobOf(int process, JobId declared) => _socketDrivers.TryGetValue(process, out var job) ? job : declared;
}
