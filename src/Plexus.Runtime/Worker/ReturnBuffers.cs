using Plexus.Core;
using Plexus.Protocol.Messages;

namespace Plexus.Worker;

/// <summary>
/// The <see cref="ReturnBuffer"/>s one running task asked for. A large one is its return's object,
/// created in the store under the return's id for the task's owner (as a stored return always is)
/// and left unsealed while the task writes it; a small one is a heap array that rides inline like
/// any small return. A return the task leaves null claims its buffer, and the stored ones are
/// sealed as they are, with no copy. Whatever is not claimed when the task ends (it returned a
/// value there instead, or failed) is freed unsealed: no reader can ever see a half-written one.
/// </summary>
internal sealed class ReturnBuffers(CoreRuntime runtime, Invocation.Target target)
{
    // Buffers made and neither claimed nor freed, by return index; null while one is being created.
    // Made on the first buffer (most tasks make none); it is also the lock guarding itself, _racing and _closed.
    private Dictionary<int, ReturnBuffer?>? _open;

    // Returns taken (claimed, or given a value) while their buffer was still being created: a value
    // there replaced the buffer's object in the store, so the late buffer must not be freed by its id.
    private HashSet<int>? _racing;

    // Set when the task has returned or failed: no buffer may be made after it.
    private bool _closed;

    /// <summary>The declared type of each return (its element type for a task that splits its result); set before the task runs.</summary>
    public Type? ReturnType { get; set; }

    /// <summary>A store range for a large return, written in place and sealed when claimed.</summary>
    private sealed record StoreRange(ObjectId Id, long Offset, long Length);

    public ReturnBuffer Create(int index, int length)
    {
        var returns = target.SplitsResult ? target.ReturnCount : 1;
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, returns);
        if (ReturnType != typeof(byte[]))
        {
            throw new InvalidOperationException(
                $"Task '{target.Name}' declares its returns as {ReturnType?.FullName ?? "unknown"}: a return buffer can only become a byte[] return.");
        }

        var open = Open();
        lock (open)
        {
            ThrowIfClosed();
            if (!open.TryAdd(index, null))
            {
                throw new InvalidOperationException($"Return {index} of task '{target.Name}' already has a buffer; a return is written once.");
            }
        }

        ReturnBuffer buffer;
        try
        {
            buffer = length <= runtime.InlineThreshold ? OnHeap(index, length) : InStore(index, length);
        }
        catch
        {
            lock (open)
            {
                open.Remove(index);
            }

            throw;
        }

        bool replaced;
        lock (open)
        {
            if (!_closed && open.ContainsKey(index))
            {
                open[index] = buffer;
                return buffer;
            }

            replaced = _racing?.Contains(index) == true;
        }

        // The task ended while the store made room: nothing will claim the buffer.
        if (!replaced)
        {
            Free(buffer);
        }

        throw new InvalidOperationException($"Task '{target.Name}' has already returned; a return buffer is made while the task runs.");
    }

    /// <summary>
    /// Takes return <paramref name="index"/>'s buffer as that return, when the task made one: the
    /// stored value, sealed, or null for a heap buffer, whose bytes are then returned as an array
    /// (<paramref name="array"/>). Both null when the return has no buffer.
    /// </summary>
    public ObjectValue? Claim(int index, out byte[]? array)
    {
        array = null;
        if (Take(index) is not { } buffer)
        {
            return null;
        }

        if (buffer.Placement is byte[] heap)
        {
            array = heap;
            return null;
        }

        var range = (StoreRange)buffer.Placement;
        var value = ObjectValue.StoredValue(range.Id, ValueFormat.RawArray, range.Offset, range.Length, runtime.Address.Node);
        runtime.Store.Seal(range.Id, value);
        return value;
    }

    /// <summary>Frees return <paramref name="index"/>'s buffer, if any, unsealed: the task returned a value there instead.</summary>
    public void Discard(int index)
    {
        if (Take(index) is { } buffer)
        {
            Free(buffer);
        }
    }

    /// <summary>Frees every buffer not claimed, and refuses new ones: the task has ended.</summary>
    public void Close()
    {
        // Set before reading _open: a buffer made from now on finds it set, under the lock.
        Volatile.Write(ref _closed, true);
        var open = Volatile.Read(ref _open);
        if (open is null)
        {
            return;
        }

        List<ReturnBuffer> unclaimed;
        lock (open)
        {
            unclaimed = [.. open.Values.OfType<ReturnBuffer>()];
            open.Clear();
        }

        foreach (var buffer in unclaimed)
        {
            Free(buffer);
        }
    }

    private Dictionary<int, ReturnBuffer?> Open() =>
        Volatile.Read(ref _open) ?? Interlocked.CompareExchange(ref _open, [], null) ?? _open;

    private ReturnBuffer? Take(int index)
    {
        var open = Volatile.Read(ref _open);
        if (open is null)
        {
            return null;
        }

        lock (open)
        {
            if (!open.Remove(index, out var buffer))
            {
                return null;
            }

            if (buffer is null)
            {
                (_racing ??= []).Add(index);
            }

            return buffer;
        }
    }

    private void Free(ReturnBuffer buffer)
    {
        if (buffer.Placement is StoreRange range)
        {
            runtime.Store.Free([range.Id]);
        }
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new InvalidOperationException($"Task '{target.Name}' has already returned; a return buffer is made while the task runs.");
        }
    }

    private static ReturnBuffer OnHeap(int index, int length)
    {
        var array = GC.AllocateUninitializedArray<byte>(length);
        return new ReturnBuffer(index, array, array);
    }

    // Blocks while the store makes room, as a put does: the task is computing its return anyway.
    private ReturnBuffer InStore(int index, int length)
    {
        var id = ObjectId.ForReturn(target.Id, index);
        var created = runtime.Store.CreateAsync(id, length, target.Owner);
        var offset = created.IsCompleted ? created.Result : created.AsTask().GetAwaiter().GetResult();
        return new ReturnBuffer(index, runtime.Store.Arena.GetMemory<byte>(offset, length), new StoreRange(id, offset, length));
    }
}
