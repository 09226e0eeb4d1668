using Plexus.Core.Lineage;
using Plexus.Core.Recovery;
using Plexus.Protocol.Messages;

namespace Plexus.Core.References;

/// <summary>
/// The owner's decisions when a stored object may be lost (docs/ARCHITECTURE.md, "Lineage
/// reconstruction"): whether it is, whether its lineage can make it again, and which returns then
/// wait for the task to run again. Decided under the table's lock; the caller acts on the
/// <see cref="RecoveryStart"/> after it (<c>ObjectRecovery</c>).
/// </summary>
internal sealed partial class ReferenceTable
{
    /// <summary>
    /// The owned objects stored on <paramref name="node"/> (which is gone) that something still
    /// references: they are made again at once. Objects only lineage needs wait until a re-run needs them.
    /// </summary>
    public List<ObjectId> ReferencedOn(ulong node)
    {
        lock (_lock)
        {
            return [.. _entries.Values
                .Where(e => e.IsOwned && !e.Recovering && e.Known is { Location: ValueLocation.Stored } known && known.Node == node && e.IsReferenced)
                .Select(e => e.Id)];
        }
    }

    /// <summary>
    /// An owned object may be lost: its value was at <paramref name="lostAt"/> (0: unknown), or on a
    /// node <paramref name="isDead"/> names; <paramref name="copiesSearched"/>: the caller searched
    /// for copies of it (<see cref="BeginCopySearch"/>) and found none. Returns its current value when it is not lost (or is being
    /// made again already); else its failure when it cannot be made again (which every holder then
    /// sees); else marks every lost return of its task as being made again and returns the spec to
    /// submit, with one more attempt and a new generation. Null when this process holds no entry for it.
    /// </summary>
    public RecoveryStart? BeginRecovery(ObjectId id, ulong lostAt, Func<ulong, bool> isDead, bool copiesSearched = false)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(id, out var entry) || !entry.IsOwned || entry.Freed)
            {
                ForgetFreedWhileSearched(id);
                return null;
            }

            // An object whose copies were searched for in vain (by the caller: LostValue says where it
            // was) is made again now; one being searched for or made again already is waited for.
            var searched = copiesSearched ? entry.LostValue : null;
            if (entry.Recovering ? searched is null : !IsLost(entry, lostAt, isDead))
            {
                return new RecoveryStart(entry.Value!.Task, null, null);
            }

            if (entry.Record is { Remaking: true })
            {
                // The task runs again already (for a sibling return): that run makes this one too.
                WaitForRemake(entry);
                return new RecoveryStart(entry.Value!.Task, null, null);
            }

            var where = searched?.Node ?? entry.Known?.Node ?? lostAt;
            if (CannotRemake(entry, where, isDead) is { } error)
            {
                SetValue(entry, ObjectValue.FailedValue(id, error));
                return new RecoveryStart(entry.Value!.Task, null, null);
            }

            var record = entry.Record!;
            var spec = record.Spec with { Attempt = record.Spec.Attempt + 1, Generation = record.Spec.Generation + 1, ConfirmStart = false };
            record.Spec = spec;
            record.Remaking = true;
            for (var i = 0; i < spec.ReturnCount; i++)
            {
                if (_entries.TryGetValue(ObjectId.ForReturn(spec.Id, i), out var sibling) && sibling.Record == record
                    && (sibling == entry || (!sibling.Recovering && IsLost(sibling, lostAt, isDead))))
                {
                    WaitForRemake(sibling);
                }
            }

            return new RecoveryStart(entry.Value!.Task, record, spec);
        }
    }

    /// <summary>The run again of <paramref name="record"/>'s task has ended (its outcome is settled, or it could not start).</summary>
    public void EndRemake(LineageRecord record)
    {
        lock (_lock)
        {
            record.Remaking = false;
        }
    }

    // A lost return waits for the run again of its task: the value it had is forgotten.
    private static void WaitForRemake(RefEntry entry)
    {
        entry.LostValue = null;
        entry.ValueReleased = false;
        entry.Known = null;
        if (!entry.Recovering)
        {
            entry.Recovering = true;
            entry.Value = new TaskCompletionSource<ObjectValue>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>
    /// Of <paramref name="ids"/>, the owned objects lost (stored at <paramref name="lostAt"/> or on a
    /// node <paramref name="isDead"/> names) that no recovery has started for: each now waits for a
    /// new value while copies of it are searched for, and is returned with the value that was lost.
    /// Objects whose store copy this process gave up have no copies elsewhere and are left out.
    /// </summary>
    public List<ObjectValue> BeginCopySearch(IEnumerable<ObjectId> ids, ulong lostAt, Func<ulong, bool> isDead)
    {
        var searching = new List<ObjectValue>();
        lock (_lock)
        {
            foreach (var id in ids)
            {
                if (_entries.TryGetValue(id, out var entry) && entry is { IsOwned: true, Freed: false, Recovering: false, ValueReleased: false }
                    && entry.Known is { Location: ValueLocation.Stored } known && IsLost(entry, lostAt, isDead))
                {
                    entry.Recovering = true;
                    entry.LostValue = known;
                    entry.Known = null;
                    entry.Value = new TaskCompletionSource<ObjectValue>(TaskCreationOptions.RunContinuationsAsynchronously);
                    searching.Add(known);
                }
            }
        }

        return searching;
    }

    /// <summary>
    /// A copy of a lost object was adopted as its primary (<paramref name="value"/> says where): it
    /// is the object's value, unless the object was made again meanwhile or freed, when the copy goes.
    /// </summary>
    public void ResolveAdopted(ObjectValue value, RefEffects effects)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(value.Id, out var entry) && entry is { IsOwned: true, Freed: false, LostValue: not null })
            {
                entry.LostValue = null;
                entry.Recovering = false;
                entry.Known = value;
                entry.Value!.TrySetResult(value);
                return;
            }

            effects.FreeStored(value.Id, value.Node);
            ForgetFreedWhileSearched(value.Id);
        }
    }

    // An object freed while copies of it were searched for has no value to wait for: it goes.
    private void ForgetFreedWhileSearched(ObjectId id)
    {
        if (_entries.TryGetValue(id, out var entry) && entry is { Freed: true, LostValue: not null })
        {
            _entries.Remove(id);
            entry.Value!.TrySetResult(Errors.Freed(id));
        }
    }

    /// <summary>The current value of an owned object (null when this process holds no entry for it).</summary>
    public Task<ObjectValue>? OwnedValue(ObjectId id)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(id, out var entry) && entry is { IsOwned: true, Freed: false } ? entry.Value!.Task : null;
        }
    }

    /// <summary>A run again could not start (an argument failed for good): every return still waiting for it fails with <paramref name="error"/>.</summary>
    public void FailRecovery(LineageRecord record, ErrorInfo error)
    {
        lock (_lock)
        {
            record.Remaking = false;
            for (var i = 0; i < record.Spec.ReturnCount; i++)
            {
                var id = ObjectId.ForReturn(record.Spec.Id, i);
                if (_entries.TryGetValue(id, out var entry) && entry.Record == record && entry.Recovering)
                {
                    SetValue(entry, ObjectValue.FailedValue(id, error));
                }
            }
        }
    }

    /// <summary>
    /// A run again of <paramref name="record"/>'s task threw and was sent once more as
    /// <paramref name="retry"/>: a later run again counts its attempt and generation on from there,
    /// so it names its children and puts apart from the retry's too.
    /// </summary>
    public void RemakeRetried(LineageRecord record, TaskSpec retry)
    {
        lock (_lock)
        {
            record.Spec = record.Spec with { Attempt = retry.Attempt, Generation = retry.Generation };
        }
    }

    /// <summary>
    /// A borrowed object's owner answered a read again with its current value (made again, or
    /// found elsewhere): the registrations it granted for the refs inside are counted (the first
    /// value read counts them as contained already), and later reads of the ref get this value.
    /// </summary>
    public void ResolveRefetched(ObjectId id, ObjectValue value, RefEffects effects)
    {
        lock (_lock)
        {
            AcceptNested(value.Nested, granted: true, holder: null, effects);
            if (_entries.TryGetValue(id, out var entry) && !entry.IsOwned && value.Location != ValueLocation.Failed)
            {
                entry.Fetched = new TaskCompletionSource<ObjectValue>(TaskCreationOptions.RunContinuationsAsynchronously);
                entry.Fetched.SetResult(value);
            }
        }
    }

    /// <summary>
    /// Values of an earlier run of a task whose later run is under way (to make a lost return
    /// again): ignored, but the refs inside them were granted to this process, so those go. Their
    /// store copies stay: the later run's copy of the same id may be the one in that store now.
    /// </summary>
    public void DiscardLate(ObjectValue[] values, RefEffects effects)
    {
        lock (_lock)
        {
            foreach (var value in values)
            {
                AcceptNested(value.Nested, granted: true, holder: null, effects);
            }
        }
    }

    private static bool IsLost(RefEntry entry, ulong lostAt, Func<ulong, bool> isDead) =>
        entry.ValueReleased || entry.Known is { Location: ValueLocation.Stored } known && (known.Node == lostAt || isDead(known.Node));

    // Why the object cannot be made again, or null when its lineage can run again.
    private static ErrorInfo? CannotRemake(RefEntry entry, ulong node, Func<ulong, bool> isDead)
    {
        var id = entry.Id;
        var gone = $"Object {id}'s only copy was on node {node:x16}, which is gone";
        if (entry.Record is not { } record)
        {
            return id.IsPut
                ? Reconstruction(ObjectLossReason.PutLost, $"{gone}, and it was put rather than made by a task, so nothing can make it again. Put it again (a program that must survive node loss can keep its inputs where it reads them, or make them in tasks).")
                : Reconstruction(ObjectLossReason.ActorResultLost, $"{gone}, and it was the result of an actor call, which is not run again. Call the actor again for a new result.");
        }

        if (record.Evicted)
        {
            return ErrorInfo.Of(ErrorKind.LineageEvicted, $"{gone}, and the lineage that could have made it again was dropped to keep within PlexusOptions.MaxLineageBytes. Raise that budget, or drop results you no longer need sooner.", record.Spec.Name) with { Cause = (byte)ObjectLossReason.LineageEvicted };
        }

        if (record.Spec.Attempt + 1 > record.Spec.MaxRetries)
        {
            return ErrorInfo.Of(ErrorKind.ReconstructionAttemptsExceeded, $"{gone}, and task {record.Spec.DisplayName}, which made it, has used all {record.Spec.MaxRetries + 1} attempts its TaskOptions.MaxRetries allows. Give it more retries to let it be made again.", record.Spec.Name) with { Cause = (byte)ObjectLossReason.MaxAttemptsExceeded };
        }

        if (record.Spec.Placement is { Kind: PlacementKind.NodeAffinity, Soft: false } placement && isDead(placement.Node))
        {
            return Reconstruction(ObjectLossReason.TaskNotRunnable, $"{gone}, and task {record.Spec.DisplayName}, which made it, must run on node {placement.Node:x16} (hard node affinity), which is gone too. Use soft affinity for work that should survive its node.", record.Spec.Name);
        }

        return null;
    }

    private static ErrorInfo Reconstruction(ObjectLossReason reason, string message, string? taskName = null) =>
        ErrorInfo.Of(ErrorKind.ObjectReconstructionFailed, message, taskName) with { Cause = (byte)reason };

    // The object's value is settled (a failure, or made again): every holder sees it from now on.
    private static void SetValue(RefEntry entry, ObjectValue value)
    {
        entry.Recovering = false;
        entry.ValueReleased = false;
        entry.Known = value;
        if (entry.Value!.Task.IsCompleted)
        {
            entry.Value = new TaskCompletionSource<ObjectValue>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        entry.Value.TrySetResult(value);
    }
}
