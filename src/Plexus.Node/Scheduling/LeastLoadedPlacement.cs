using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// The least-loaded worker with room: its free slots (less the CPUs its actors reserve) plus the
/// pipeline depth. A worker whose actors reserve all its CPUs gets no tasks, and one whose actors
/// leave less than the task asks for gets not that task: the worker would hold it unstarted for as
/// long as the actor lives. Ties go to the worker met first.
/// </summary>
internal sealed class LeastLoadedPlacement(int slotsPerWorker, int pipelineDepth) : IPlacementPolicy
{
    public WorkerState? Place(TaskSpec task, IEnumerable<WorkerState> workers)
    {
        WorkerState? best = null;
        foreach (var worker in workers)
        {
            var unreserved = slotsPerWorker - worker.ReservedCpus;
            var slots = Math.Ceiling(unreserved - TaskDispatcher.CpuTolerance);
            if (slots > 0 && task.Cpus <= unreserved + TaskDispatcher.CpuTolerance && worker.Load < slots + pipelineDepth && (best is null || worker.Load < best.Load))
            {
                best = worker;
            }
        }

        return best;
    }
}
