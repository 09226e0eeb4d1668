using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>A task this runtime submitted: how many objects it returns, and the refs it holds until it finishes.</summary>
internal sealed record SubmittedTask(int ReturnCount, NestedRef[] Held)
{
    /// <summary>
    /// Set when the task ran in this process too: the handles inside its returns, kept reachable
    /// until this process hears its own <see cref="TaskFinished"/> and counts them as contained.
    /// </summary>
    public object? ReturnsInFlight { get; set; }

    /// <summary>
    /// The spec last sent to the node, once the arguments are resolved (null before, and for actor
    /// calls): an exception retry sends it again with one more attempt.
    /// </summary>
    public TaskSpec? Spec { get; set; }
}
