using MemoryPack;

namespace Plexus.Protocol.Messages;

/// <summary>
/// A message of the node protocol. Each travels as one length-prefixed frame; the union tag picks
/// the concrete type. Every message carries a header (<see cref="Target"/>, <see cref="Source"/>,
/// <see cref="RequestId"/>) on which nodes route it without looking at its type. The messages fall
/// in three groups (docs/ARCHITECTURE.md, Protocol): <c>Local/</c>, between a process and its own
/// node (joining it, the store, scheduling, actors); <c>Routed/</c>, from one runtime to another,
/// forwarded on the header; <c>Peer/</c>, from one node to another.
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
[MemoryPackUnion(33, typeof(RequestFailed))]
[MemoryPackUnion(34, typeof(PullObject))]
[MemoryPackUnion(35, typeof(PullStarted))]
[MemoryPackUnion(36, typeof(PullRefused))]
[MemoryPackUnion(37, typeof(PullRedirect))]
[MemoryPackUnion(38, typeof(ReadChunk))]
[MemoryPackUnion(39, typeof(ObjectChunk))]
[MemoryPackUnion(40, typeof(PullDone))]
[MemoryPackUnion(41, typeof(DropCopies))]
[MemoryPackUnion(42, typeof(CopyDropped))]
[MemoryPackUnion(50, typeof(ForwardTask))]
[MemoryPackUnion(51, typeof(ForwardActor))]
// 52 and 53 were FindActor and ActorFound (a name asked of every peer; names are the control
// service's now): not reused, so a frame of an older node is refused rather than misread.
[MemoryPackUnion(54, typeof(WorkerOutput))]
[MemoryPackUnion(55, typeof(NodeDraining))]
[MemoryPackUnion(56, typeof(ArgumentsLost))]
[MemoryPackUnion(57, typeof(LocateObjects))]
[MemoryPackUnion(58, typeof(ObjectsLocated))]
[MemoryPackUnion(59, typeof(FindCopies))]
[MemoryPackUnion(60, typeof(CopiesFound))]
[MemoryPackUnion(61, typeof(AdoptCopies))]
[MemoryPackUnion(62, typeof(CancelTask))]
[MemoryPackUnion(63, typeof(SaveCheckpoint))]
[MemoryPackUnion(64, typeof(CheckpointSaved))]
[MemoryPackUnion(65, typeof(ActorLocated))]
[MemoryPackUnion(66, typeof(TaskWaitingForArgs))]
[MemoryPackUnion(67, typeof(TaskLogs))]
[MemoryPackUnion(68, typeof(SummarizeReferences))]
[MemoryPackUnion(69, typeof(ReferencesSummarized))]
[MemoryPackUnion(70, typeof(StopIfIdle))]
[MemoryPackUnion(71, typeof(StopIfIdleAnswer))]
internal abstract partial class Message
{
    /// <summary>
    /// The process the message is for; a node's own address (<see cref="ProcessAddress.NodeOf"/>)
    /// when it is for the node itself. Set by the sender, never changed on the way.
    /// </summary>
    public ProcessAddress Target { get; set; }

    /// <summary>The process (or node) that sent it; a node checks that a process speaks only for itself.</summary>
    public ProcessAddress Source { get; set; }

    /// <summary>
    /// The sender's number for a request that expects an answer, which the answer (an
    /// <see cref="IReply"/>) carries back to <see cref="Source"/>; 0 when none is expected.
    /// </summary>
    public long RequestId { get; set; }

    /// <summary>
    /// Throws <see cref="ProtocolViolationException"/> when a field the receiver relies on is
    /// missing or out of range. A node calls it once on receipt, before anything acts on the message.
    /// </summary>
    public virtual void Validate()
    {
    }
}

/// <summary>
/// A message that answers a request: it carries the request's <see cref="Message.RequestId"/> back
/// to the request's source, which completes the request with it. Routers close the request then.
/// </summary>
internal interface IReply;

/// <summary>
/// A message one runtime sends another, which routers forward on its header (the <c>Routed/</c>
/// group). Routers refuse to forward anything else: a node's own messages (a task to run, a
/// store's answer) never come from a process.
/// </summary>
internal interface IRouted;
