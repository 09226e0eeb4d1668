namespace Plexus.Core;

/// <summary>Where a submitted call goes: an actor, as the caller's <paramref name="Sequence"/>-th call to it.</summary>
internal readonly record struct ActorTarget(TaskId Actor, long Sequence);
