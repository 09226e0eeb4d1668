using MemoryPack;
using Microsoft.Extensions.Logging;

namespace Plexus.Protocol.Messages;

/// <summary>
/// An actor as its node knows it: which class to construct with which arguments, who created it,
/// its name and how it runs. The actor's id is the creating task-like id, so it is deterministic
/// within its job like every other id.
/// </summary>
[MemoryPackable]
internal sealed partial record ActorSpec
{
    public required TaskId Id { get; init; }
    /// <summary>The runtime that created it: an owned (not detached) actor ends when that process exits.</summary>
    public required ProcessAddress Owner { get; init; }
    /// <summary>The constructor to run (its declaring type is the actor's class).</summary>
    public required FunctionDescriptor Constructor { get; init; }
    public required ObjectValue[] Args { get; init; }
    public string? Name { get; init; }
    /// <summary>The namespace its name lives in; for an actor without a name, its job's (see <see cref="JobNamespace"/>).</summary>
    public string Namespace { get; init; } = string.Empty;
    /// <summary>
    /// The namespace of its job, where its constructor and methods name and look up actors when
    /// they name no namespace (see <see cref="TaskSpec.JobNamespace"/>); null for the job's anonymous one.
    /// </summary>
    public string? JobNamespace { get; init; }
    /// <summary>Lives until killed, whatever happens to its creator.</summary>
    public bool Detached { get; init; }
    /// <summary>Calls that may run at once; 1 runs them one at a time.</summary>
    public int MaxConcurrency { get; init; } = 1;
    /// <summary>CPUs reserved for the actor on its worker while it lives: tasks there get that many fewer.</summary>
    public double Cpus { get; init; }
    /// <summary>Runs alone in a worker process started for it (isolation, native resources), not in the shared pool.</summary>
    public bool Dedicated { get; init; }
    /// <summary>Other resources its node must offer (GPUs, custom ones), by name; null for none.</summary>
    public Dictionary<string, double>? Resources { get; init; }
    /// <summary>Which node hosts it.</summary>
    public Placement Placement { get; init; }
    /// <summary>How many times it is built again after its process or node dies; -1 without limit, 0 never.</summary>
    public int MaxRestarts { get; init; }
    /// <summary>How many times a call in flight when it died is sent again to its next incarnation; -1 without limit.</summary>
    public int MaxTaskRetries { get; init; }
    /// <summary>Completed calls between checkpoints its worker takes; 0 only on request.</summary>
    public int CheckpointEvery { get; init; }
    /// <summary>The lowest level of what its constructor and methods log that its worker keeps: its job's (see <see cref="TaskSpec.TaskLogLevel"/>).</summary>
    public LogLevel TaskLogLevel { get; init; } = LogLevel.Information;
    /// <summary>Whether it is built again when it dies (not when killed).</summary>
    [MemoryPackIgnore]
    public bool Restartable => MaxRestarts != 0;
}

/// <summary>
/// What a node needs to build a restartable actor again when its node died: its spec, and the job
/// package whose code it runs with the job's driver (null for the node's own program). The control
/// service keeps it as opaque bytes.
/// </summary>
[MemoryPackable]
internal sealed partial record ActorRestartSpec
{
    public required ActorSpec Spec { get; init; }
    public string? Package { get; init; }
    public ProcessAddress? Driver { get; init; }
}

/// <summary>A runtime asks its node to create an actor (answered by <see cref="ActorCreated"/>).</summary>
[MemoryPackable]
internal sealed partial class CreateActor : Message
{
    public required ActorSpec Spec { get; init; }
    /// <summary>When the name is taken by a live actor: return that actor instead of failing.</summary>
    public bool GetIfExists { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        ProtocolViolationException.ThrowIfNull(Spec, "CreateActor.Spec");
        ProtocolViolationException.ThrowIfNull(Spec.Args, "ActorSpec.Args");
        ProtocolViolationException.ThrowIfNull(Spec.Constructor, "ActorSpec.Constructor");
        ProtocolViolationException.ThrowIfNull(Spec.Namespace, "ActorSpec.Namespace");
    }
}

/// <summary>The node's answer to <see cref="CreateActor"/> or <see cref="LookupActor"/>: the actor, or why not.</summary>
[MemoryPackable]
internal sealed partial class ActorCreated : Message, IReply
{
    public ActorSpec? Spec { get; init; }
    public ErrorInfo? Error { get; init; }
    /// <summary>The actor's tag, so a handle found by name can call it from another job (a namespace both use).</summary>
    public Security.CapabilityTag Capability { get; init; }
}

/// <summary>The node places an actor on a worker, which constructs it.</summary>
[MemoryPackable]
internal sealed partial class HostActor : Message
{
    public required ActorSpec Spec { get; init; }
    /// <summary>Which life of the actor this is: 0 when created, one more at each restart.</summary>
    public long Incarnation { get; init; }
    /// <summary>The state its last checkpoint saved, to restore after the constructor and before any call; null for none.</summary>
    public byte[]? Checkpoint { get; init; }
}

/// <summary>One call of an actor method; its result returns as a <see cref="TaskFinished"/> to the caller.</summary>
[MemoryPackable]
internal sealed partial record ActorCall
{
    /// <summary>The call's own id (a child of the caller's task), from which its return object's id derives.</summary>
    public required TaskId Id { get; init; }
    public required TaskId Actor { get; init; }
    /// <summary>The node the actor was created from (its creator's): it knows where the actor lives when the caller's node does not.</summary>
    public ulong Home { get; init; }
    public required ProcessAddress Caller { get; init; }
    /// <summary>
    /// The code that made the call: a task, an actor, or a driver's own code. Calls from one scope
    /// run in the order it made them; scopes never wait for each other.
    /// </summary>
    public required TaskId Scope { get; init; }
    /// <summary>The scope's count of calls to this actor.</summary>
    public required long Sequence { get; init; }
    /// <summary>
    /// The <see cref="Sequence"/> of the scope's call this one must follow, which the actor has not
    /// queued yet when this one arrives; 0 when every earlier call arrived before it.
    /// </summary>
    public long After { get; init; }
    public required FunctionDescriptor Method { get; init; }
    public required ObjectValue[] Args { get; init; }
    public string? Name { get; init; }
    /// <summary>
    /// The caller failed this call before sending it (an argument failed): the actor only moves
    /// past its sequence number, so the caller's later calls are not held back.
    /// </summary>
    public bool Cancelled { get; init; }
    /// <summary>How many times the call was sent again to a restarted actor (0 the first time).</summary>
    public int Attempt { get; init; }
    /// <summary>
    /// The job the calling code acts for (an actor's own job in its methods). The caller's node
    /// admits a call to another job's actor only with the actor's <see cref="Capability"/>.
    /// </summary>
    public JobId CallerJob { get; init; }
    /// <summary>The actor's tag, when the caller's handle came from another job; else none.</summary>
    public Security.CapabilityTag Capability { get; init; }
}

/// <summary>A caller sends a call (runtime → node → the actor's worker).</summary>
[MemoryPackable]
internal sealed partial class CallActor : Message
{
    public required ActorCall Call { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        ProtocolViolationException.ThrowIfNull(Call, "CallActor.Call");
        ProtocolViolationException.ThrowIfNull(Call.Args, "ActorCall.Args");
        ProtocolViolationException.ThrowIfNull(Call.Method, "ActorCall.Method");
    }
}

/// <summary>Ends an actor now: its pending calls fail with <c>ActorDiedException</c>.</summary>
[MemoryPackable]
internal sealed partial class KillActor : Message
{
    public required TaskId Actor { get; init; }
    /// <summary>The node the actor was created from (see <see cref="ActorCall.Home"/>).</summary>
    public ulong Home { get; init; }
    /// <summary>Why, as a sentence for whoever calls it next; empty when it was simply killed.</summary>
    public string Reason { get; init; } = string.Empty;
    /// <summary>The <c>ActorDeathCause</c> its calls fail with.</summary>
    public byte Cause { get; init; }
    /// <summary>The job the killing code acts for: a kill of another job's actor needs the actor's <see cref="Capability"/>.</summary>
    public JobId Job { get; init; }
    /// <summary>The actor's tag, when the killer's handle came from another job; else none.</summary>
    public Security.CapabilityTag Capability { get; init; }
}

/// <summary>Finds a live actor by name in a namespace (answered by <see cref="ActorCreated"/>).</summary>
[MemoryPackable]
internal sealed partial class LookupActor : Message
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        ProtocolViolationException.ThrowIfNull(Name, "LookupActor.Name");
        ProtocolViolationException.ThrowIfNull(Namespace, "LookupActor.Namespace");
    }
}

/// <summary>Lists the live named actors (answered by <see cref="ActorsListed"/>).</summary>
[MemoryPackable]
internal sealed partial class ListActors : Message;

/// <summary>The live actors of the node.</summary>
[MemoryPackable]
internal sealed partial class ActorsListed : Message, IReply
{
    public required ActorSpec[] Actors { get; init; }
}
