using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>
/// A task (or actor call, <paramref name="IsActorCall"/>) this runtime submitted: how many objects
/// it returns, and the refs it holds until it finishes.
/// </summary>
internal sealed record SubmittedTask(int ReturnCount, NestedRef[] Held, bool IsActorCall = false)
{
    /// <summary>
    /// Set when the task ran in this process too: the handles inside its returns, kept reachable
    /// until this process hears its own <see cref="TaskFinished"/> and counts them as contained.
    /// </summary>
    public object? ReturnsInFlight { get; set; }

    /// <summary>
    /// The spec last sent to the node, once the arguments are resolved (null before, and for actor
    /// calls): an exception retry sends it again with one more attempt. Set and read under a lock
    /// on this object, with <see cref="Cancelled"/>.
    /// </summary>
    public TaskSpec? Spec { get; set; }

    /// <summary>
    /// Cancel was asked: a task not sent yet is never sent, and a failure is not retried. Under a
    /// lock on this object, so a cancel and the task's sending happen one after the other.
    /// </summary>
    public bool Cancelled { get; set; }
}
