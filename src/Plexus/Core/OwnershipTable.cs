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

    public int Count => _objects.Count;

    public OwnedObject AddPending(ObjectId id, Protocol.Messages.TaskSpec? lineage)
    {
        var entry = new OwnedObject(lineage);
        _objects[id] = entry;
        return entry;
    }

    public void AddReady(ObjectId id, ObjectValue value)
    {
        var entry = new OwnedObject(null);
        entry.Resolve(value);
        _objects[id] = entry;
    }

    public bool TryGet(ObjectId id, out OwnedObject entry) => _objects.TryGetValue(id, out entry!);

    public bool TryRemove(ObjectId id, out OwnedObject entry) => _objects.TryRemove(id, out entry!);

    /// <summary>Records a value (or failure) for an owned object; ignored if freed meanwhile.</summary>
    public void Resolve(ObjectValue value)
    {
        if (_objects.TryGetValue(value.Id, out var entry))
        {
            entry.Resolve(value);
        }
    }
}

/// <summary>One owned object: its value once the task that makes it has finished.</summary>
internal sealed class OwnedObject(Protocol.Messages.TaskSpec? lineage)
{
    private readonly TaskCompletionSource<ObjectValue> _value = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The task that creates this object; null for puts (which cannot be re-created).</summary>
    public Protocol.Messages.TaskSpec? Lineage { get; set; } = lineage;

    public Task<ObjectValue> Value => _value.Task;

    public void Resolve(ObjectValue value) => _value.TrySetResult(value);
}
