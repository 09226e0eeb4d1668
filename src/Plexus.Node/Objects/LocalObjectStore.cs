using Plexus.ObjectStore;
using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// The node's shared-memory object store: which objects live where (in the arena or in a spill
/// file), who owns them and who pins them. Objects are created (space reserved), written by their
/// creator, then sealed (immutable). A freed or replaced object whose bytes a reader still pins
/// is retired: its range is released with its last pin, so a zero-copy view never sees its bytes
/// reused. Pins are released by (id, offset), which names one version of an object even when a
/// retried task has re-created the id, or a restore has moved it, meanwhile.
/// Not thread-safe: the node calls it under its lock (the allocator alone may be read outside).
/// </summary>
internal sealed class LocalObjectStore : IDisposable
{
    private readonly ArenaAllocator _allocator;
    // The current version of every object, in any state.
    private readonly Dictionary<ObjectId, StoredObject> _objects = [];
    // Freed or replaced versions still pinned by readers, by offset.
    private readonly Dictionary<long, StoredObject> _retired = [];
    // Counts accesses (create, seal, pin): an object's LastAccess orders spilling, oldest first.
    private long _clock;

    public LocalObjectStore(long capacity, string? directory)
    {
        Arena = SharedMemoryArena.Create(capacity, directory);
        _allocator = new ArenaAllocator(capacity);
    }

    public SharedMemoryArena Arena { get; }

    public long Capacity => _allocator.Capacity;

    /// <summary>Bytes of the arena in use; safe to read without the node's lock.</summary>
    public long Used => _allocator.Used;

    public int ObjectCount => _objects.Count;

    public StoredObject? Find(ObjectId id) => _objects.GetValueOrDefault(id);

    /// <summary>
    /// Reserves <paramref name="size"/> bytes for a new object owned by process
    /// <paramref name="owner"/> and written by process <paramref name="writer"/> (default: the
    /// node), or for a secondary <paramref name="copy"/> of another node's object; null when no
    /// free range is large enough. An existing version of the same id (a retried task re-creating
    /// its return) is removed first.
    /// </summary>
    public long? TryCreate(ObjectId id, long size, int owner, SecondaryCopy? copy = null, int writer = ProcessAddress.NodeProcess)
    {
        if (_objects.TryGetValue(id, out var existing))
        {
            Remove(existing);
        }

        if (!_allocator.TryAllocate(Math.Max(size, 1), out var offset))
        {
            return null;
        }

        _objects[id] = new StoredObject(id, offset, size, owner, writer) { LastAccess = ++_clock, Copy = copy };
        return offset;
    }

    /// <summary>Marks a created object as written and immutable.</summary>
    public void Seal(ObjectId id, ValueFormat format)
    {
        if (_objects.TryGetValue(id, out var stored) && stored.State == StoredObjectState.Writing)
        {
            stored.State = StoredObjectState.InMemory;
            stored.Format = format;
            stored.LastAccess = ++_clock;
        }
    }

    /// <summary>
    /// Pins an object whose bytes are readable in memory (sealed, possibly being spilled: a pin
    /// keeps it in memory); null otherwise.
    /// </summary>
    public ObjectValue? TryPinInMemory(StoredObject stored)
    {
        if (stored.State is not (StoredObjectState.InMemory or StoredObjectState.Spilling))
        {
            return null;
        }

        stored.Pins++;
        stored.LastAccess = ++_clock;
        // Node 0: the pinned version is read by this node's own processes, in this store.
        return ObjectValue.StoredValue(stored.Id, stored.Format, stored.Offset, stored.Size, node: 0);
    }

    /// <summary>Releases one pin on the version of <paramref name="id"/> at <paramref name="offset"/>.</summary>
    public void Unpin(ObjectId id, long offset)
    {
        if (_objects.TryGetValue(id, out var current) && current.Offset == offset && current.HoldsRange)
        {
            current.Pins = Math.Max(0, current.Pins - 1);
            return;
        }

        if (_retired.TryGetValue(offset, out var retired) && retired.Id == id && --retired.Pins <= 0)
        {
            _retired.Remove(offset);
            _allocator.Free(offset);
        }
    }

    /// <summary>The size of the version of <paramref name="id"/> at <paramref name="offset"/>, current or retired; 0 if unknown.</summary>
    public long SizeOf(ObjectId id, long offset) =>
        _objects.TryGetValue(id, out var current) && current.Offset == offset ? current.Size
        : _retired.TryGetValue(offset, out var retired) && retired.Id == id ? retired.Size
        : 0;

    /// <summary>Frees an object; returns it (for its restore waiters) or null if it was not here.</summary>
    public StoredObject? Free(ObjectId id) => _objects.TryGetValue(id, out var stored) ? Remove(stored) : null;

    /// <summary>Frees every object owned by a process that has died: objects fate-share with their owner.</summary>
    public List<StoredObject> FreeOwnedBy(int owner)
    {
        var orphans = _objects.Values.Where(o => o.Owner == owner).ToList();
        foreach (var orphan in orphans)
        {
            Remove(orphan);
        }

        return orphans;
    }

    /// <summary>
    /// Frees every object a process that has died was writing and had not sealed (a task's return
    /// it wrote for the task's owner): half-written bytes are never read, and the range goes back
    /// at once rather than when the owner frees the id or a retry creates it again.
    /// </summary>
    public List<StoredObject> AbortUnsealedBy(int writer)
    {
        var unsealed = _objects.Values.Where(o => o.Writer == writer && o.State == StoredObjectState.Writing).ToList();
        foreach (var stored in unsealed)
        {
            Remove(stored);
        }

        return unsealed;
    }

    /// <summary>
    /// Sealed, unpinned objects in memory with no spill copy (they must be written), least recently
    /// used first, until their sizes add up to <paramref name="bytes"/> or the next would pass
    /// <paramref name="maxBytes"/> (the first is always taken).
    /// </summary>
    public List<StoredObject> ChooseVictims(long bytes, long maxBytes) =>
        LeastRecentlyUsed(o => o.File is null && o.Copy is null, bytes, maxBytes);

    /// <summary>
    /// Sealed, unpinned objects in memory whose spill copy is kept (they can leave memory with no
    /// write), least recently used first, until their sizes add up to <paramref name="bytes"/>.
    /// </summary>
    public List<StoredObject> ChooseKeptCopies(long bytes) => LeastRecentlyUsed(o => o.File is not null, bytes, long.MaxValue);

    /// <summary>
    /// Sealed, unpinned secondary copies of other nodes' objects, least recently used first, until
    /// their sizes add up to <paramref name="bytes"/>: they leave with no write, their primary has them.
    /// </summary>
    public List<StoredObject> ChooseSecondaryCopies(long bytes) => LeastRecentlyUsed(o => o.Copy is not null, bytes, long.MaxValue);

    /// <summary>Takes a range for an object being restored.</summary>
    public bool TryAllocate(long size, out long offset) => _allocator.TryAllocate(Math.Max(size, 1), out offset);

    /// <summary>Gives back a range no object uses any more (spilled out, or a failed restore's).</summary>
    public void Release(long offset) => _allocator.Free(offset);

    /// <summary>A version that left the table during I/O on its range: released now, or with its last pin.</summary>
    public void ReleaseOrRetire(StoredObject stored)
    {
        if (stored.Pins > 0)
        {
            _retired[stored.Offset] = stored;
            return;
        }

        _allocator.Free(stored.Offset);
    }

    public IEnumerable<StoredObject> Objects => _objects.Values;

    public void Dispose() => Arena.Dispose();

    private List<StoredObject> LeastRecentlyUsed(Func<StoredObject, bool> kind, long bytes, long maxBytes)
    {
        var victims = new List<StoredObject>();
        var total = 0L;
        foreach (var candidate in _objects.Values
            .Where(o => o.State == StoredObjectState.InMemory && o.Pins == 0 && kind(o))
            .OrderBy(o => o.LastAccess))
        {
            if (total >= bytes || (victims.Count > 0 && total + candidate.Size > maxBytes))
            {
                break;
            }

            victims.Add(candidate);
            total += candidate.Size;
        }

        return victims;
    }

    // Releases the version's range; its spill file copy, if any, is the node store's to release (it keeps the spill figures).
    private StoredObject Remove(StoredObject stored)
    {
        _objects.Remove(stored.Id);
        stored.Removed = true;
        switch (stored.State)
        {
            case StoredObjectState.Spilling or StoredObjectState.Restoring:
                // Spill or restore I/O is using the range: its completion releases it.
                break;
            case StoredObjectState.Spilled:
                // It holds no range.
                break;
            default:
                ReleaseOrRetire(stored);
                break;
        }

        return stored;
    }
}
