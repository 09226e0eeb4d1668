using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// Where a task goes: given the task at the head of the queue and the node's workers, the worker
/// to hand it to now, or null to keep it queued (no worker has room). The
/// <see cref="TaskDispatcher"/> asks under the node's lock, so a policy only reads the workers'
/// state and changes nothing. <see cref="LeastLoadedPlacement"/> is the node's rule today.
/// </summary>
internal interface IPlacementPolicy
{
    WorkerState? Place(TaskSpec task, IEnumerable<WorkerState> workers);
}
