using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// The least-loaded worker with room: its free slots (less the CPUs its actors reserve) plus the
/// pipeline depth. A worker whose actors reserve all its CPUs gets no tasks. Ties go to the
/// worker met first.
/// </summary>
internal sealed class LeastLoadedPlacement(int slotsPerWorker, int pipelineDepth) : IPlacementPolicy
{
    public WorkerState? Place(TaskSpec task, IEnumerable<WorkerState> workers)
    {
        WorkerState? best = null;
        foreach (var worker in workers)
        {
            var slots = Math.Ceiling(slotsPerWorker - worker.ReservedCpus - TaskDispatcher.CpuTolerance);
            if (slots > 0 && worker.Load < slots + pipelineDepth && (best is null || worker.Load < best.Load))
            {
                best = worker;
            }
        }

        return best;
    }
}
