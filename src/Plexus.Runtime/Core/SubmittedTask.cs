using Plexus.Core.Lineage;
using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>
/// A task (or actor call, <paramref name="IsActorCall"/>) this runtime submitted: how many objects
/// it returns, the refs it holds until it finishes, and the task whose code submitted it
/// (<paramref name="Parent"/>, which a recursive cancel follows).
/// </summary>
internal sealed record SubmittedTask(int ReturnCount, NestedRef[] Held, TaskId Parent = default, bool IsActorCall = false)
{
    // Registrations on the tokens that cancel the task (given at submission), dropped once it finishes (under a lock on this object).
    private List<CancellationTokenRegistration>? _cancelledBy;

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
    /// Set when this is a run again of a finished task to make its lost returns again: its lineage
    /// record holds the arguments beyond this run, so finishing keeps no new record.
    /// </summary>
    public LineageRecord? Remakes { get; init; }

    /// <summary>
    /// Cancel was asked: a task not sent yet is never sent, and a failure is not retried. Under a
    /// lock on this object, so a cancel and the task's sending happen one after the other.
    /// </summary>
    public bool Cancelled { get; set; }

    /// <summary>Keeps <paramref name="registration"/> until <see cref="StopCancelling"/>.</summary>
    public void CancelledBy(CancellationTokenRegistration registration)
    {
        lock (this)
        {
            (_cancelledBy ??= []).Add(registration);
        }
    }

    /// <summary>The task finished: its tokens no longer cancel it (a token that lives on keeps no callback for it).</summary>
    public void StopCancelling()
    {
        lock (this)
        {
            foreach (var registration in _cancelledBy ?? [])
            {
                registration.Unregister();
            }

            _cancelledBy = null;
        }
    }
}
