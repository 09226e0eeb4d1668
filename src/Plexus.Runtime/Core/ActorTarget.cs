using Plexus.Protocol.Security;

namespace Plexus.Core;

/// <summary>
/// Where a submitted call goes: an actor, as call number <paramref name="Sequence"/> of
/// <paramref name="Order"/>'s caller, which acts for <paramref name="CallerJob"/>; with the actor's
/// <paramref name="Capability"/> when the caller's handle came from another job.
/// </summary>
internal readonly record struct ActorTarget(TaskId Actor, ActorCallOrder Order, long Sequence, ulong Home, JobId CallerJob, CapabilityTag Capability);
