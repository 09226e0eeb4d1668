using Plexus.ObjectStore;
using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// The node's shared-memory object store: which objects live where in the arena, who owns them
/// and who pins them. Objects are created (space reserved), written by their creator, then sealed
/// (immutable). A freed or replaced object whose bytes a reader still pins is retired: its range
/// is released with its last pin, so a zero-copy view never sees its bytes reused. Pins are
/// released by (id, offset), which names one version of an object even when a retried task has
/// re-created the id meanwhile.
/// </summary>
internal sealed class LocalObjectStore : IDisposable
{
    private readonly object _lock = new();
    private readonly ArenaAllocator _allocator;
    // The current version of every object, sealed or being written (guarded by _lock).
    private readonly Dictionary<ObjectId, StoredObject> _objects = [];
    // Freed or replaced versions still pinned by readers, by offset (guarded by _lock).
    private readonly Dictionary<long, StoredObject> _retired = [];

    public LocalObjectStore(long capacity, string? directory)
    {
        Arena = SharedMemoryArena.Create(capacity, directory);
        _allocator = new ArenaAllocator(capacity);
    }

    public SharedMemoryArena Arena { get; }

    public long Capacity => _allocator.Capacity;

    public long Used => _allocator.Used;

    public int ObjectCount
    {
        get
        {
            lock (_lock)
            {
                return _objects.Count;
            }
        }
    }

    /// <summary>
    /// Reserves <paramref name="size"/> bytes for a new object owned by process
    /// <paramref name="owner"/>; null when the store has no room. An existing version of the same
    /// id (a retried task re-creating its return) is freed, or retired while pinned.
    /// </summary>
    public long? TryCreate(ObjectId id, long size, int owner)
    {
        lock (_lock)
        {
            if (_objects.Remove(id, out var existing))
            {
                ReleaseOrRetire(existing);
            }

            if (!_allocator.TryAllocate(Math.Max(size, 1), out var offset))
            {
                return null;
            }

            _objects[id] = new StoredObject(id, offset, size, owner);
            return offset;
        }
    }

    /// <summary>Marks a created object as written and immutable.</summary>
    public void Seal(ObjectId id, ValueFormat format)
    {
        lock (_lock)
        {
            if (_objects.TryGetValue(id, out var stored))
            {
                stored.Sealed = true;
                stored.Format = format;
            }
        }
    }

    /// <summary>Pins a sealed object for reading; null when it is not (or no longer) here.</summary>
    public ObjectValue? TryPin(ObjectId id)
    {
        lock (_lock)
        {
            if (!_objects.TryGetValue(id, out var stored) || !stored.Sealed)
            {
                return null;
            }

            stored.Pins++;
            return ObjectValue.StoredValue(id, stored.Format, stored.Offset, stored.Size);
        }
    }

    /// <summary>Releases one pin on the version of <paramref name="id"/> at <paramref name="offset"/>.</summary>
    public void Unpin(ObjectId id, long offset)
    {
        lock (_lock)
        {
            if (_objects.TryGetValue(id, out var current) && current.Offset == offset)
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
    }

    /// <summary>Frees an object: now if unpinned, else when its last pin is released.</summary>
    public void Free(ObjectId id)
    {
        lock (_lock)
        {
            if (_objects.Remove(id, out var stored))
            {
                ReleaseOrRetire(stored);
            }
        }
    }

    /// <summary>Frees every object owned by a process that has died: objects fate-share with their owner.</summary>
    public int FreeOwnedBy(int owner)
    {
        lock (_lock)
        {
            var orphans = _objects.Values.Where(o => o.Owner == owner).ToList();
            foreach (var orphan in orphans)
            {
                _objects.Remove(orphan.Id);
                ReleaseOrRetire(orphan);
            }

            return orphans.Count;
        }
    }

    private void ReleaseOrRetire(StoredObject stored)
    {
        if (stored.Pins > 0)
        {
            _retired[stored.Offset] = stored;
            return;
        }

        _allocator.Free(stored.Offset);
    }

    public void Dispose() => Arena.Dispose();

    private sealed class StoredObject(ObjectId id, long offset, long size, int owner)
    {
        public ObjectId Id { get; } = id;
        public long Offset { get; } = offset;
        public long Size { get; } = size;
        // The process that owns the object; its death frees the object.
        public int Owner { get; } = owner;
        public ValueFormat Format { get; set; }
        public bool Sealed { get; set; }
        // Readers currently holding the bytes (zero-copy views, running tasks' arguments).
        public int Pins { get; set; }
    }
}
