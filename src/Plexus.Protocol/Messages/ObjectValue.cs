using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>How an object's bytes encode its value.</summary>
internal enum ValueFormat : byte
{
    /// <summary>MessagePack (contractless): classes, records, collections.</summary>
    MessagePack = 1,
    /// <summary>The raw elements of an array of an unmanaged type, readable in place.</summary>
    RawArray = 2,
    /// <summary>No bytes: a task's <c>CancellationToken</c> parameter, which the worker fills with the task's own token.</summary>
    CancellationToken = 3,
}

/// <summary>Where an object's value is.</summary>
internal enum ValueLocation : byte
{
    /// <summary>The bytes travel in this message.</summary>
    Inline = 1,
    /// <summary>The bytes are in the node's shared-memory store at an offset.</summary>
    Stored = 2,
    /// <summary>The task that should have made the object failed: see the error.</summary>
    Failed = 3,
    /// <summary>
    /// Not known when this was sent: the value is that of object <see cref="ObjectValue.Id"/>,
    /// which the receiver fetches from its owner, <see cref="ObjectValue.Future"/>. Only an actor's
    /// constructor arguments travel so; the creator holds the object until the actor is built.
    /// </summary>
    Future = 4,
}

/// <summary>An object's value as it travels: inline bytes, a place in the store, or an error.</summary>
[MemoryPackable]
internal sealed partial class ObjectValue
{
    public required ObjectId Id { get; init; }
    public required ValueLocation Location { get; init; }
    public ValueFormat Format { get; init; }
    /// <summary>The encoded value when <see cref="Location"/> is Inline.</summary>
    public byte[]? Inline { get; init; }
    /// <summary>The offset in the store of <see cref="Node"/> when Stored.</summary>
    public long Offset { get; init; }
    /// <summary>The number of encoded bytes (inline or stored).</summary>
    public long Size { get; init; }
    public ErrorInfo? Error { get; init; }
    /// <summary>
    /// The refs this value contains. Whoever hands the value to another process has registered
    /// that process as a borrower of each (see docs/ARCHITECTURE.md, Ownership).
    /// </summary>
    public NestedRef[]? Nested { get; init; }
    /// <summary>Where the object a <see cref="ValueLocation.Future"/> value stands for is fetched from, and with what tag.</summary>
    public FutureSource? Future { get; init; }
    /// <summary>
    /// The node whose store holds the object when Stored, set by the runtime that stores it (its
    /// own node): a runtime on another node pins it naming this node, and its own node pulls a
    /// copy. 0 in the pinned version a node hands its own processes (a pin's answer, a task's
    /// pinned argument), which are read in that node's store only.
    /// </summary>
    public ulong Node { get; init; }

    public static ObjectValue FutureValue(ObjectId id, ProcessAddress owner, Security.CapabilityTag capability) =>
        new() { Id = id, Location = ValueLocation.Future, Future = new FutureSource(owner, capability) };

    public static ObjectValue InlineValue(ObjectId id, ValueFormat format, byte[] bytes) =>
        new() { Id = id, Location = ValueLocation.Inline, Format = format, Inline = bytes, Size = bytes.Length };

    public static ObjectValue StoredValue(ObjectId id, ValueFormat format, long offset, long size, ulong node) =>
        new() { Id = id, Location = ValueLocation.Stored, Format = format, Offset = offset, Size = size, Node = node };

    public static ObjectValue FailedValue(ObjectId id, ErrorInfo error) =>
        new() { Id = id, Location = ValueLocation.Failed, Error = error };

    /// <summary>
    /// This value (a stored one as its node pinned it: the node keeps no <see cref="Nested"/>) with
    /// <paramref name="nested"/>, the refs the object contains, which its reader decodes it with.
    /// </summary>
    public ObjectValue WithNested(NestedRef[]? nested) => nested is null || Nested is not null ? this : new()
    {
        Id = Id, Location = Location, Format = Format, Inline = Inline, Offset = Offset, Size = Size, Error = Error,
        Nested = nested, Future = Future, Node = Node,
    };
}

/// <summary>
/// What failed, as it travels between processes: the awaiter turns each kind into its exception
/// type (the runtime's <c>Errors.ToException</c>), so no exception type names need to be matched.
/// The numbers are the wire format: never reuse or renumber one. A kind a process does not know
/// (a newer peer's) becomes a generic remote error carrying the message.
/// </summary>
internal enum ErrorKind : byte
{
    /// <summary>A task's or actor method's user code threw: <c>TaskFailedException</c>, with <see cref="ErrorInfo.RemoteType"/> naming what was thrown.</summary>
    TaskFailed = 1,
    /// <summary>The worker running the task died and the task's retries were used up, or no worker could be started: <c>WorkerCrashedException</c>.</summary>
    WorkerCrashed = 2,
    /// <summary>The worker could not load the function (missing assembly, type or method): <c>FunctionUnavailableException</c>.</summary>
    FunctionUnavailable = 3,
    /// <summary>A value could not be encoded or decoded: <c>ValueSerializationException</c>.</summary>
    ValueSerialization = 4,
    /// <summary>The node's store had no room in time: <c>ObjectStoreFullException</c>.</summary>
    StoreFull = 5,
    /// <summary>The object was freed, or a spilled copy could not be read back: <c>ObjectLostException</c>.</summary>
    ObjectLost = 6,
    /// <summary>The runtime or node shut down before the object was made: <c>ObjectDisposedException</c>.</summary>
    ShutDown = 7,
    /// <summary>The actor was killed, failed to construct, its process died, or its id is in use: <c>ActorDiedException</c>.</summary>
    ActorDied = 8,
    /// <summary>The object's owner has exited; its objects went with it: <c>OwnerDiedException</c>.</summary>
    OwnerDied = 9,
    /// <summary>A live actor already has the name in that namespace: <c>ActorNameTakenException</c>.</summary>
    ActorNameTaken = 10,
    /// <summary>No live actor has the name in that namespace: <c>ActorNotFoundException</c>.</summary>
    ActorNotFound = 11,
    /// <summary>Work bound to a node that is not alive: <c>NodeUnavailableException</c>.</summary>
    NodeUnavailable = 12,
    /// <summary>
    /// A pull could not reach the node holding the object (its link is gone): readers ask the owner
    /// to make it again; if it ever reaches an awaiter, <c>ObjectLostException</c>.
    /// </summary>
    ObjectUnreachable = 13,
    /// <summary>A lost object could not be made again; <see cref="ErrorInfo.Cause"/> is the <c>ObjectLossReason</c>: <c>ObjectReconstructionFailedException</c>.</summary>
    ObjectReconstructionFailed = 14,
    /// <summary>A lost object's lineage was dropped past the owner's budget: <c>LineageEvictedException</c>.</summary>
    LineageEvicted = 15,
    /// <summary>A lost object's task has no attempts left: <c>ReconstructionAttemptsExceededException</c>.</summary>
    ReconstructionAttemptsExceeded = 16,
    /// <summary>The task was cancelled before it finished (<c>PlexusRuntime.Cancel</c>): <c>TaskCancelledException</c>.</summary>
    TaskCancelled = 17,
    /// <summary>The reader's job was not given the object (a guessed or replayed id of another job): <c>ObjectAccessDeniedException</c>.</summary>
    ObjectAccessDenied = 18,
    /// <summary>The caller's job was not given the actor (a guessed or replayed id of another job): <c>ActorAccessDeniedException</c>.</summary>
    ActorAccessDenied = 19,
}

/// <summary>
/// A failure as it travels to every awaiter: its kind (which says what to throw), the message, the
/// remote stack and the task's name. Only a user exception (<see cref="ErrorKind.TaskFailed"/>)
/// names a type, the one user code threw.
/// </summary>
[MemoryPackable]
internal sealed partial record ErrorInfo(ErrorKind Kind, string Message, string StackTrace, string? TaskName)
{
    /// <summary>
    /// The full name of the exception type user code threw, for <see cref="ErrorKind.TaskFailed"/>;
    /// null for the system's own failures, whose kind says what they are.
    /// </summary>
    public string? RemoteType { get; init; }

    /// <summary>
    /// A user exception's own state (its assembly-qualified type and fields), so an awaiter that can
    /// load the type rebuilds it; null when it could not be captured.
    /// </summary>
    public byte[]? ExceptionState { get; init; }

    /// <summary>
    /// A finer cause within the kind, 0 when none: the <c>ObjectLossReason</c> of
    /// <see cref="ErrorKind.ObjectLost"/> and <see cref="ErrorKind.ObjectReconstructionFailed"/>,
    /// the <c>ActorDeathCause</c> of <see cref="ErrorKind.ActorDied"/>.
    /// </summary>
    public byte Cause { get; init; }

    /// <summary>A failure the system itself raises (any kind but <see cref="ErrorKind.TaskFailed"/>): no remote type, no stack.</summary>
    public static ErrorInfo Of(ErrorKind kind, string message, string? taskName = null) => new(kind, message, string.Empty, taskName);
}

/// <summary>
/// The object a <see cref="ValueLocation.Future"/> value stands for: its owner, and its tag when
/// the value goes to another job than the object's (none otherwise; see docs/ARCHITECTURE.md,
/// Isolation between jobs), so the receiver reads it for that job.
/// </summary>
[MemoryPackable]
internal sealed partial record FutureSource(ProcessAddress Owner, Security.CapabilityTag Capability);

/// <summary>
/// A ref as the protocol names it: the object and the runtime that owns it. In a value's
/// <see cref="ObjectValue.Nested"/>, <paramref name="Given"/> says that the code that wrote the
/// value may read the object (of its job, or handed over to it), so a runtime that reads the value
/// for another job reads the ref as handed over (see docs/ARCHITECTURE.md, Isolation between jobs);
/// false elsewhere.
/// </summary>
[MemoryPackable]
internal readonly partial record struct NestedRef(ObjectId Id, ProcessAddress Owner, bool Given = false);
