using System.Runtime.CompilerServices;
using Plexus.Binding;

namespace Plexus;

/// <summary>
/// A distributed future: the id of an object that exists or will exist somewhere in the cluster,
/// and the address of the runtime that owns it. Refs can be passed to tasks (top-level ref
/// arguments are resolved before the task runs), returned from tasks and stored inside values.
/// </summary>
public abstract class ObjectRef : IDisposable
{
    // 1 once this handle no longer counts: disposed, finalized, or made for an object already freed.
    private int _released;

    // `counted`: the runtime already counted this handle (it made the object and the ref together).
    private protected ObjectRef(ObjectId id, ProcessAddress owner, RuntimeCore runtime, bool counted)
    {
        Id = id;
        Owner = owner;
        Runtime = runtime;
        runtime.NoteActivity();
        if (!counted && !runtime.AddHandle(id, owner))
        {
            _released = 1;
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>
    /// A handle the program dropped without disposing: the garbage collector found it unreachable,
    /// so its count goes (later, in a batch, off the finalizer thread).
    /// </summary>
    ~ObjectRef()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            Runtime.ReleaseFinalizedHandle(Id);
        }
    }

    /// <summary>The object's id: deterministic within its job, unguessable across jobs.</summary>
    public ObjectId Id { get; }

    /// <summary>The runtime that owns the object (created it, or submitted the task that does).</summary>
    public ProcessAddress Owner { get; }

    internal RuntimeCore Runtime { get; }

    /// <summary>
    /// True when this handle arrived with its object's valid capability tag (its job handed it
    /// over): code of another job than the object's may read through it. Set once, as it arrives.
    /// </summary>
    internal bool IsHandedOver { get; set; }

    /// <summary>True once the object's value (or failure) is known to this process.</summary>
    public bool IsReady => Resolve().IsCompleted;

    /// <summary>True when the task that should make the object failed.</summary>
    public bool IsFailed => Runtime.IsFailed(Resolve());

    /// <summary>
    /// What this process knows of the object without waiting (references are translucent):
    /// whether it exists yet, its encoded size and where its bytes are. Never blocks; for a
    /// borrowed ref, asking starts fetching the value from its owner (small values come inline).
    /// </summary>
    public ObjectInfo Info => Runtime.Describe(Id, Owner, Resolve());

    // The value's task, looked up once: while this handle counts, its entry (and so that task) stays.
    private Task? _resolved;

    internal Task Resolve()
    {
        if (Volatile.Read(ref _released) != 0)
        {
            return Runtime.Freed(Id);
        }

        return _resolved ??= Runtime.ResolveAsync(this);
    }

    /// <summary>
    /// Drops this handle now. The object is freed, on every node, once nothing references it any
    /// more: no handle in any process, no pending task that takes it, no live object that contains
    /// it. Awaiting this handle afterwards raises <see cref="ObjectLostException"/>. Idempotent.
    /// A handle never disposed is released when the garbage collector finalizes it.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            Runtime.ReleaseHandle(Id);
        }

        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    public override string ToString() => $"ObjectRef({Id})";
}

/// <summary>A typed distributed future for a value of type <typeparamref name="T"/>. Awaitable.</summary>
public sealed class ObjectRef<T> : ObjectRef
{
    internal ObjectRef(ObjectId id, ProcessAddress owner, RuntimeCore runtime, bool counted)
        : base(id, owner, runtime, counted)
    {
    }

    /// <summary>A ref this process owns, whose handle the runtime counted when it made the object.</summary>
    internal static ObjectRef<T> Owned(ObjectId id, RuntimeCore runtime) => new(id, runtime.Address, runtime, counted: true);

    /// <summary>A ref that arrived in a value (or an argument): one more handle to count.</summary>
    internal static ObjectRef<T> Received(ObjectId id, ProcessAddress owner, RuntimeCore runtime) => new(id, owner, runtime, counted: false);

    /// <summary>Awaits the value: <c>T v = await r;</c>. Failures raise their typed exception.</summary>
    public ValueTaskAwaiter<T> GetAwaiter() => GetAsync().GetAwaiter();

    /// <summary>
    /// Waits for the object and reads it. Large values are copied out of shared memory once; use
    /// <c>GetViewAsync</c> for a zero-copy view of an array. Throws <see cref="TimeoutException"/>
    /// after <paramref name="timeout"/>, <see cref="TaskFailedException"/> and friends when the
    /// task failed, <see cref="ObjectLostException"/> when the object was freed.
    /// </summary>
    public ValueTask<T> GetAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => Runtime.GetAsync(this, timeout, cancellationToken);
}
