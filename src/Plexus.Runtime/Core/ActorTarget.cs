namespace Plexus.Core;

/// <summary>Where a submitted call goes: an actor, as call number <paramref name="Sequence"/> of <paramref name="Order"/>'s caller.</summary>
internal readonly record struct ActorTarget(TaskId Actor, ActorCallOrder Order, long Sequence, ulong Home);
