using System.Collections.Concurrent;
using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>
/// The objects this runtime owns (it submitted the task that makes them, or put them), each with
/// its value once known and the task that makes it (lineage, for re-execution).
/// Reference counts and borrowers join each entry when ownership-based freeing lands.
/// </summary>
internal sealed class OwnershipTable
{
    private readonly ConcurrentDictionary<ObjectId, OwnedObject> _objects = new();

    public OwnedObject AddPending(ObjectId id, TaskSpec? lineage)
    {
        var entry = new OwnedObject(lineage);
        _objects[id] = entry;
        return entry;
    }

    /// <summary>Finds a live (not freed) owned object.</summary>
    public bool TryGet(ObjectId id, out OwnedObject entry) =>
        _objects.TryGetValue(id, out entry!) && !entry.IsFreed;

    /// <summary>
    /// Frees an owned object. A ready one leaves the table and its value is returned, so the
    /// caller can free its store copy; a pending one stays, marked, until its value arrives.
    /// </summary>
    public ObjectValue? Free(ObjectId id)
    {
        if (!_objects.TryGetValue(id, out var entry))
        {
            return null;
        }

        entry.MarkFreed();
        if (!entry.Value.IsCompleted)
        {
            return null;
        }

        _objects.TryRemove(id, out _);
        return entry.Value.Result;
    }

    /// <summary>
    /// Records a value (or failure) for an owned object. If the object was freed while pending,
    /// the entry goes, its waiters learn it was freed, and the value is returned as an orphan
    /// whose store copy the caller frees.
    /// </summary>
    public ObjectValue? Resolve(ObjectValue value)
    {
        if (!_objects.TryGetValue(value.Id, out var entry))
        {
            return value.Location == ValueLocation.Stored ? value : null;
        }

        if (!entry.IsFreed)
        {
            entry.Resolve(value);
            return null;
        }

        _objects.TryRemove(value.Id, out _);
        entry.Resolve(Errors.Freed(value.Id));
        return value;
    }
}

/// <summary>One owned object: its value once the task that makes it has finished.</summary>
internal sealed class OwnedObject(TaskSpec? lineage)
{
    private readonly TaskCompletionSource<ObjectValue> _value = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Set once the owner freed the object; a value arriving later is dropped.
    private volatile bool _freed;

    /// <summary>The task that creates this object; null for puts (which cannot be re-created).</summary>
    public TaskSpec? Lineage { get; set; } = lineage;

    public Task<ObjectValue> Value => _value.Task;

    public bool IsFreed => _freed;

    public void MarkFreed() => _freed = true;

    public void Resolve(ObjectValue value) => _value.TrySetResult(value);
}
