using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>How an object's bytes encode its value.</summary>
public enum ValueFormat : byte
{
    /// <summary>MessagePack (contractless): classes, records, collections.</summary>
    MessagePack = 1,
    /// <summary>The raw elements of an array of an unmanaged type, readable in place.</summary>
    RawArray = 2,
}

/// <summary>Where an object's value is.</summary>
public enum ValueLocation : byte
{
    /// <summary>The bytes travel in this message.</summary>
    Inline = 1,
    /// <summary>The bytes are in the node's shared-memory store at an offset.</summary>
    Stored = 2,
    /// <summary>The task that should have made the object failed: see the error.</summary>
    Failed = 3,
    /// <summary>
    /// Not known when this was sent: the value is that of object <see cref="ObjectValue.Id"/>,
    /// which the receiver fetches from its owner, <see cref="ObjectValue.FutureOwner"/>. Only an
    /// actor's constructor arguments travel so; the creator holds the object until the actor is built.
    /// </summary>
    Future = 4,
}

/// <summary>An object's value as it travels: inline bytes, a place in the store, or an error.</summary>
[MemoryPackable]
public sealed partial class ObjectValue
{
    public required ObjectId Id { get; init; }
    public required ValueLocation Location { get; init; }
    public ValueFormat Format { get; init; }
    /// <summary>The encoded value when <see cref="Location"/> is Inline.</summary>
    public byte[]? Inline { get; init; }
    /// <summary>The offset in the node's store when Stored.</summary>
    public long Offset { get; init; }
    /// <summary>The number of encoded bytes (inline or stored).</summary>
    public long Size { get; init; }
    public ErrorInfo? Error { get; init; }
    /// <summary>
    /// The refs this value contains. Whoever hands the value to another process has registered
    /// that process as a borrower of each (see docs/ARCHITECTURE.md, Ownership).
    /// </summary>
    public NestedRef[]? Nested { get; init; }
    /// <summary>The owner of the object a <see cref="ValueLocation.Future"/> value stands for.</summary>
    public ProcessAddress? FutureOwner { get; init; }

    public static ObjectValue FutureValue(ObjectId id, ProcessAddress owner) =>
        new() { Id = id, Location = ValueLocation.Future, FutureOwner = owner };

    public static ObjectValue InlineValue(ObjectId id, ValueFormat format, byte[] bytes) =>
        new() { Id = id, Location = ValueLocation.Inline, Format = format, Inline = bytes, Size = bytes.Length };

    public static ObjectValue StoredValue(ObjectId id, ValueFormat format, long offset, long size) =>
        new() { Id = id, Location = ValueLocation.Stored, Format = format, Offset = offset, Size = size };

    public static ObjectValue FailedValue(ObjectId id, ErrorInfo error) =>
        new() { Id = id, Location = ValueLocation.Failed, Error = error };
}

/// <summary>What kind of failure an <see cref="ErrorInfo"/> describes; each maps to an exception type.</summary>
public enum ErrorKind : byte
{
    /// <summary>User code threw.</summary>
    UserException = 1,
    /// <summary>The worker running the task died, retries were used up.</summary>
    WorkerCrashed = 2,
    /// <summary>The worker could not load the function (missing assembly, type or method).</summary>
    FunctionUnavailable = 3,
    /// <summary>The value could not be encoded or decoded.</summary>
    Serialization = 4,
    /// <summary>The node's store had no room.</summary>
    StoreFull = 5,
    /// <summary>The object was freed or its owner is gone.</summary>
    ObjectLost = 6,
    /// <summary>The runtime shut down before the object was made.</summary>
    ShutDown = 7,
    /// <summary>The actor was killed, failed to construct, or its process died.</summary>
    ActorDied = 8,
}

/// <summary>A failure as it travels to every awaiter: the remote exception's type, message and stack.</summary>
[MemoryPackable]
public sealed partial record ErrorInfo(ErrorKind Kind, string Type, string Message, string StackTrace, string? TaskName)
{
    /// <summary>
    /// A user exception's own state (its assembly-qualified type and fields), so an awaiter that can
    /// load the type rebuilds it; null when it could not be captured.
    /// </summary>
    public byte[]? ExceptionState { get; init; }
}

/// <summary>A ref as the protocol names it: the object and the runtime that owns it.</summary>
[MemoryPackable]
public readonly partial record struct NestedRef(ObjectId Id, ProcessAddress Owner);
