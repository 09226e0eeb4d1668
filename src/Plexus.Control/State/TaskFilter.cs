using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.State;

/// <summary>A listing's filters, each null when not given; a task matches when it matches every one given.</summary>
/// <param name="Job">The job the tasks belong to.</param>
/// <param name="Status">The status they are in.</param>
/// <param name="Node">The node they are on (as the latest step that placed them says).</param>
/// <param name="Name">The name's number in the table's <see cref="TaskNames"/>; -1 for a name no task has, which matches nothing.</param>
internal readonly record struct TaskFilter(JobId? Job, Proto.TaskStatus? Status, ulong? Node, int? Name)
{
    public bool IsEmpty => Job is null && Status is null && Node is null && Name is null;

    public bool Matches(in TaskSlot task) =>
        (Job is null || task.Id.Job == Job) && (Status is null || task.Status == Status) && (Node is null || task.Node == Node) && (Name is null || task.Name == Name);
}
