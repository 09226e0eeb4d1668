using Plexus.ObjectStore;
using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// The node's shared-memory object store: which objects live where in the arena, and who pins
/// them. Objects are created (space reserved), written by their creator, then sealed (immutable).
/// A freed object's bytes are released only once no reader pins them, so a zero-copy view can
/// never see its bytes reused.
/// </summary>
internal sealed class LocalObjectStore : IDisposable
{
    private readonly object _lock = new();
    private readonly ArenaAllocator _allocator;
    // Every created object not yet released, sealed or not (guarded by _lock).
    private readonly Dictionary<ObjectId, StoredObject> _objects = [];

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

    /// <summary>Reserves <paramref name="size"/> bytes for a new object; null when the store has no room.</summary>
    public long? TryCreate(ObjectId id, long size)
    {
        lock (_lock)
        {
            if (_objects.TryGetValue(id, out var existing))
            {
                // A retried task re-creates the same object id: reuse its space if it still fits.
                if (existing.Size >= size && !existing.Sealed)
                {
                    return existing.Offset;
                }

                ReleaseOrDefer(id, existing);
            }

            if (!_allocator.TryAllocate(Math.Max(size, 1), out var offset))
            {
                return null;
            }

            _objects[id] = new StoredObject { Offset = offset, Size = size };
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
            if (!_objects.TryGetValue(id, out var stored) || !stored.Sealed || stored.FreeRequested)
            {
                return null;
            }

            stored.Pins++;
            return ObjectValue.StoredValue(id, stored.Format, stored.Offset, stored.Size);
        }
    }

    /// <summary>Releases one pin; a freed object's bytes go with its last pin.</summary>
    public void Unpin(ObjectId id)
    {
        lock (_lock)
        {
            if (!_objects.TryGetValue(id, out var stored) || stored.Pins == 0)
            {
                return;
            }

            stored.Pins--;
            if (stored.Pins == 0 && stored.FreeRequested)
            {
                _objects.Remove(id);
                _allocator.Free(stored.Offset);
            }
        }
    }

    /// <summary>Frees an object: now if unpinned, else when its last pin is released.</summary>
    public void Free(ObjectId id)
    {
        lock (_lock)
        {
            if (_objects.TryGetValue(id, out var stored))
            {
                ReleaseOrDefer(id, stored);
            }
        }
    }

    private void ReleaseOrDefer(ObjectId id, StoredObject stored)
    {
        if (stored.Pins > 0)
        {
            stored.FreeRequested = true;
            return;
        }

        _objects.Remove(id);
        _allocator.Free(stored.Offset);
    }

    public void Dispose() => Arena.Dispose();

    private sealed class StoredObject
    {
        public long Offset { get; init; }
        public long Size { get; init; }
        public ValueFormat Format { get; set; }
        public bool Sealed { get; set; }
        // Readers currently holding the bytes (zero-copy views, running tasks' arguments).
        public int Pins { get; set; }
        // The owner freed it while pinned: release with the last pin.
        public bool FreeRequested { get; set; }
    }
}
