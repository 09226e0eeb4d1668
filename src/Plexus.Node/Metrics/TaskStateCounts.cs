namespace Plexus.Node;

/// <summary>
/// How many tasks are in each state at this node at one moment: the <c>state</c> label of
/// <c>plexus_tasks</c>. A task is in exactly one of them until it finishes.
/// </summary>
/// <param name="Queued">Waiting for a worker with room (a free slot, its package's pool).</param>
/// <param name="WaitingForResources">Queued behind GPUs or custom resources that running work holds.</param>
/// <param name="WaitingForArguments">Set aside while a stored argument is read back from disk or copied from another node.</param>
/// <param name="Infeasible">Asking for more than any worker here has: held until a node that can run it joins.</param>
/// <param name="Running">Handed to a worker (running, or queued in the worker's pipeline).</param>
internal readonly record struct TaskStateCounts(int Queued, int WaitingForResources, int WaitingForArguments, int Infeasible, int Running);
