using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>
/// Cancels a task. A task's owner sends it to its node; the node removes the task if it still
/// queues there and answers its owner with <see cref="ErrorKind.TaskCancelled"/>, passes it on to
/// the peer it forwarded the task to, or to the worker it handed the task to (which drops it if
/// not started, or cancels the running task's token), and with <see cref="Force"/> kills that
/// worker instead. Nothing answers a cancel itself: the task's <see cref="TaskFinished"/> does.
/// </summary>
[MemoryPackable]
internal sealed partial class CancelTask : Message
{
    public required TaskId Task { get; init; }

    /// <summary>Kill the worker running the task rather than ask the task to stop.</summary>
    public bool Force { get; init; }

    /// <summary>Cancel as well the unfinished tasks the task submitted, and theirs in turn.</summary>
    public bool Recursive { get; init; }
}
