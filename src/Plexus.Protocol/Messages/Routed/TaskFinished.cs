using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>
/// A worker (the header's source) reports a finished task or actor call, values or error, to the
/// task's owner (its target). The worker's node sees it pass: it frees the task's slot.
/// </summary>
[MemoryPackable]
internal sealed partial class TaskFinished : Message, IRouted
{
    public required TaskId Task { get; init; }
    /// <summary>One value per return; empty when <see cref="Error"/> is set.</summary>
    public required ObjectValue[] Returns { get; init; }
    public ErrorInfo? Error { get; init; }
    /// <summary>
    /// Refs that reached the worker inside the task's arguments and that it still holds: the
    /// task's owner registers the worker (the header's source) as their borrower (see
    /// docs/ARCHITECTURE.md, Ownership).
    /// </summary>
    public NestedRef[]? Borrowed { get; init; }
    /// <summary>
    /// Set with a user exception that the task's options allow to re-run it
    /// (<see cref="TaskSpec.RetryExceptions"/>): the worker decides, since it has the exception's
    /// type; the owner re-runs the task while it has retries left.
    /// </summary>
    public bool Retryable { get; init; }
    /// <summary>
    /// Which execution this is the outcome of (<see cref="TaskSpec.Attempt"/>, 0 for the first): the
    /// node may have run the task again after worker crashes, which its owner does not see otherwise,
    /// and an exception retry counts from there. A worker's values name it too, so an owner that
    /// has sent a later attempt (to make a lost object again) ignores an earlier one's late values.
    /// </summary>
    public int Attempt { get; init; }

    /// <inheritdoc />
    public override void Validate() => ProtocolViolationException.ThrowIfNull(Returns, "TaskFinished.Returns");
}
