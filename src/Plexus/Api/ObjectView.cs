using Plexus.Binding;

namespace Plexus;

/// <summary>
/// A read-only, zero-copy view of an array object in the node's shared memory. The object's bytes
/// stay pinned (never freed or reused) until the view is disposed; do not use <see cref="Memory"/>
/// after that.
/// </summary>
public sealed class ObjectView<T> : IDisposable where T : unmanaged
{
    private readonly IPinHolder? _pinnedIn;
    // The pinned version; null for an inline copy, which pins nothing.
    private readonly object? _pinned;
    private int _disposed;

    internal ObjectView(ReadOnlyMemory<T> memory, IPinHolder? pinnedIn, object? pinned)
    {
        Memory = memory;
        _pinnedIn = pinnedIn;
        _pinned = pinned;
    }

    /// <summary>The elements, in place in shared memory (or in a small inline copy).</summary>
    public ReadOnlyMemory<T> Memory { get; }

    /// <summary>The elements as a span.</summary>
    public ReadOnlySpan<T> Span => Memory.Span;

    /// <summary>Releases the pin on the object's bytes.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            if (_pinned is not null)
            {
                _pinnedIn?.Unpin(_pinned);
            }
        }
    }
}

/// <summary>Zero-copy access to array objects.</summary>
public static class ObjectRefArrayExtensions
{
    /// <summary>
    /// Waits for an array object and returns a view of its elements in shared memory, without
    /// copying them: O(1) whatever the array's size. Dispose the view to release the pin.
    /// </summary>
    public static ValueTask<ObjectView<T>> GetViewAsync<T>(this ObjectRef<T[]> reference, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.Runtime.GetViewAsync(reference, timeout, cancellationToken);
    }

    /// <summary>
    /// Passes an array object to a task parameter of type <see cref="ReadOnlyMemory{T}"/>: the task
    /// reads the elements in place in shared memory, pinned while it runs.
    /// </summary>
    public static Arg<ReadOnlyMemory<T>> AsMemory<T>(this ObjectRef<T[]> reference) where T : unmanaged =>
        Arg<ReadOnlyMemory<T>>.FromRef(reference);
}
