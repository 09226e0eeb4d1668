using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>
/// A message of the hot-path protocol between a node daemon and the runtimes (drivers, workers) on
/// its node. Each travels as one length-prefixed frame; the union tag picks the concrete type.
/// </summary>
[MemoryPackable]
[MemoryPackUnion(0, typeof(Hello))]
[MemoryPackUnion(1, typeof(SubmitTask))]
[MemoryPackUnion(2, typeof(ExecuteTask))]
[MemoryPackUnion(3, typeof(TaskFinished))]
[MemoryPackUnion(4, typeof(TaskBlocked))]
[MemoryPackUnion(5, typeof(TaskUnblocked))]
[MemoryPackUnion(6, typeof(GetObject))]
[MemoryPackUnion(7, typeof(ObjectReply))]
[MemoryPackUnion(8, typeof(CreateObject))]
[MemoryPackUnion(9, typeof(CreateReply))]
[MemoryPackUnion(10, typeof(SealObject))]
[MemoryPackUnion(11, typeof(FreeObjects))]
[MemoryPackUnion(12, typeof(PinObject))]
[MemoryPackUnion(13, typeof(PinReply))]
[MemoryPackUnion(14, typeof(UnpinObject))]
[MemoryPackUnion(15, typeof(Shutdown))]
[MemoryPackUnion(16, typeof(RefUpdate))]
[MemoryPackUnion(17, typeof(ProcessExited))]
[MemoryPackUnion(18, typeof(CollectGarbage))]
[MemoryPackUnion(19, typeof(CollectDone))]
[MemoryPackUnion(20, typeof(DescribeObjects))]
[MemoryPackUnion(21, typeof(ObjectsDescribed))]
[MemoryPackUnion(22, typeof(CreateActor))]
[MemoryPackUnion(23, typeof(ActorCreated))]
[MemoryPackUnion(24, typeof(HostActor))]
[MemoryPackUnion(25, typeof(CallActor))]
[MemoryPackUnion(26, typeof(KillActor))]
[MemoryPackUnion(27, typeof(LookupActor))]
[MemoryPackUnion(28, typeof(ListActors))]
[MemoryPackUnion(29, typeof(ActorsListed))]
[MemoryPackUnion(30, typeof(Attach))]
[MemoryPackUnion(31, typeof(Attached))]
[MemoryPackUnion(32, typeof(TaskStarted))]
public abstract partial class Message;

/// <summary>A message that answers a request a runtime sent: the runtime completes the request by its id.</summary>
public interface IReply
{
    long RequestId { get; }
}

/// <summary>First frame a worker sends (its preamble proved the cluster token): says who it is.</summary>
[MemoryPackable]
public sealed partial class Hello : Message
{
    public required int Process { get; init; }
    public required int Pid { get; init; }
}

/// <summary>A runtime asks its node to schedule a task whose arguments are all resolved.</summary>
[MemoryPackable]
public sealed partial class SubmitTask : Message
{
    public required TaskSpec Spec { get; init; }
}

/// <summary>The node hands a task to a worker.</summary>
[MemoryPackable]
public sealed partial class ExecuteTask : Message
{
    public required TaskSpec Spec { get; init; }
}

/// <summary>A worker reports a finished task (values or error); the node forwards it to the owner.</summary>
[MemoryPackable]
public sealed partial class TaskFinished : Message
{
    public required TaskId Task { get; init; }
    public required ProcessAddress Owner { get; init; }
    /// <summary>One value per return; empty when <see cref="Error"/> is set.</summary>
    public required ObjectValue[] Returns { get; init; }
    public ErrorInfo? Error { get; init; }
    /// <summary>
    /// Refs that reached the worker inside the task's arguments and that it still holds: the
    /// task's owner registers the worker as their borrower (see docs/ARCHITECTURE.md, Ownership).
    /// </summary>
    public NestedRef[]? Borrowed { get; init; }
    /// <summary>The worker that ran the task: the borrower of <see cref="Borrowed"/>.</summary>
    public ProcessAddress Executor { get; init; }
}

/// <summary>
/// A worker starts running a task it was handed (it may have queued it behind others). When the
/// worker dies, the node charges a retry only to the tasks it knows had started; the others are
/// re-queued free. Coalesced into the worker's batched writes, so it may not have left when a
/// task kills its process at once: see <see cref="TaskSpec.ConfirmStart"/>.
/// </summary>
[MemoryPackable]
public sealed partial class TaskStarted : Message
{
    public required TaskId Task { get; init; }
}

/// <summary>A running task waits on a future: its CPU is given back until <see cref="TaskUnblocked"/>.</summary>
[MemoryPackable]
public sealed partial class TaskBlocked : Message
{
    public required TaskId Task { get; init; }
}

/// <summary>A task that waited on a future runs again.</summary>
[MemoryPackable]
public sealed partial class TaskUnblocked : Message
{
    public required TaskId Task { get; init; }
}

/// <summary>A runtime asks an object's owner for its value, answered by <see cref="ObjectReply"/> once it exists.</summary>
[MemoryPackable]
public sealed partial class GetObject : Message
{
    public required long RequestId { get; init; }
    public required ObjectId Object { get; init; }
    public required ProcessAddress Requester { get; init; }
    public required ProcessAddress Owner { get; init; }
}

/// <summary>The owner's answer to <see cref="GetObject"/>.</summary>
[MemoryPackable]
public sealed partial class ObjectReply : Message, IReply
{
    public required long RequestId { get; init; }
    public required ProcessAddress Requester { get; init; }
    public required ObjectValue Value { get; init; }
}

/// <summary>Request a buffer in the node's store (the "request" of request/commit).</summary>
[MemoryPackable]
public sealed partial class CreateObject : Message
{
    public required long RequestId { get; init; }
    public required ObjectId Object { get; init; }
    public required long Size { get; init; }
    /// <summary>The runtime that owns the object (the task's owner, for a return value); its death frees it.</summary>
    public required ProcessAddress Owner { get; init; }
}

/// <summary>Where to write a created object, or why it could not be created.</summary>
[MemoryPackable]
public sealed partial class CreateReply : Message, IReply
{
    public required long RequestId { get; init; }
    public required long Offset { get; init; }
    public ErrorInfo? Error { get; init; }
}

/// <summary>The "commit": the object's bytes are written and immutable from now on.</summary>
[MemoryPackable]
public sealed partial class SealObject : Message
{
    public required ObjectId Object { get; init; }
    public required ObjectValue Value { get; init; }
}

/// <summary>An owner frees objects: their store copies go once no reader pins them.</summary>
[MemoryPackable]
public sealed partial class FreeObjects : Message
{
    public required ObjectId[] Objects { get; init; }
}

/// <summary>Pin a stored object for reading, answered by <see cref="PinReply"/>.</summary>
[MemoryPackable]
public sealed partial class PinObject : Message
{
    public required long RequestId { get; init; }
    public required ObjectId Object { get; init; }
}

/// <summary>The stored object's location (now pinned), or <c>Found = false</c> when it is gone.</summary>
[MemoryPackable]
public sealed partial class PinReply : Message, IReply
{
    public required long RequestId { get; init; }
    public required bool Found { get; init; }
    public ObjectValue? Value { get; init; }
    /// <summary>Why a spilled object could not be brought back into memory, when that failed.</summary>
    public ErrorInfo? Error { get; init; }
}

/// <summary>A reader releases a pin taken by <see cref="PinObject"/>.</summary>
[MemoryPackable]
public sealed partial class UnpinObject : Message
{
    public required ObjectId Object { get; init; }
    /// <summary>The offset the pin was taken at: names the version pinned.</summary>
    public required long Offset { get; init; }
}

/// <summary>The node tells a worker to exit.</summary>
[MemoryPackable]
public sealed partial class Shutdown : Message;

/// <summary>
/// Reference-count changes one process sends an object owner: borrowers it registers (processes
/// it handed refs to) and its own releases. The node routes it to <see cref="Owner"/>.
/// </summary>
[MemoryPackable]
public sealed partial class RefUpdate : Message
{
    public required ProcessAddress Owner { get; init; }
    /// <summary>The sending process; the node checks it is the connection's own.</summary>
    public required ProcessAddress From { get; init; }
    public BorrowerGrant[]? Added { get; init; }
    public ReleasedRef[]? Released { get; init; }
}

/// <summary><see cref="Borrower"/> now holds a ref to <see cref="Id"/>: one more registration for it.</summary>
[MemoryPackable]
public readonly partial record struct BorrowerGrant(ObjectId Id, ProcessAddress Borrower);

/// <summary>The sender dropped its last handle to <see cref="Id"/>, ending <see cref="Count"/> registrations.</summary>
[MemoryPackable]
public readonly partial record struct ReleasedRef(ObjectId Id, int Count);

/// <summary>The node tells every runtime that a process on it has exited: it borrows nothing any more.</summary>
[MemoryPackable]
public sealed partial class ProcessExited : Message
{
    public required int Process { get; init; }
}

/// <summary>
/// The store is under pressure: collect garbage and release every unreachable handle, then answer
/// <see cref="CollectDone"/> (after the releases, so the node sees them first).
/// </summary>
[MemoryPackable]
public sealed partial class CollectGarbage : Message
{
    public required long Round { get; init; }
}

/// <summary>A runtime has collected and sent its releases for <see cref="Round"/>.</summary>
[MemoryPackable]
public sealed partial class CollectDone : Message
{
    public required long Round { get; init; }
}

/// <summary>Asks runtime <see cref="Target"/> to describe the objects it owns; answered by <see cref="ObjectsDescribed"/>.</summary>
[MemoryPackable]
public sealed partial class DescribeObjects : Message
{
    public required long RequestId { get; init; }
    public required ProcessAddress Requester { get; init; }
    public required ProcessAddress Target { get; init; }
}

/// <summary>One runtime's owned objects, for a memory report.</summary>
[MemoryPackable]
public sealed partial class ObjectsDescribed : Message, IReply
{
    public required long RequestId { get; init; }
    public required ProcessAddress Requester { get; init; }
    public required OwnedObjectReport[] Objects { get; init; }
}

/// <summary>
/// First frame of a driver that joins a running node (another program using the same cluster;
/// its preamble proved the cluster token). Answered by <see cref="Attached"/>.
/// </summary>
[MemoryPackable]
public sealed partial class Attach : Message
{
    public required int Pid { get; init; }
}

/// <summary>The node admits a joining driver: its process number and how to map the store.</summary>
[MemoryPackable]
public sealed partial class Attached : Message
{
    public required int Process { get; init; }
    public required ulong NodeId { get; init; }
    public required string ArenaPath { get; init; }
    public required long ArenaCapacity { get; init; }
}
