using Plexus.Core.Lineage;
using Plexus.Protocol.Messages;

namespace Plexus.Core.Recovery;

/// <summary>
/// What the owner must do about an object it was told (or found) it may have lost, decided under
/// the reference table's lock: nothing but wait for <see cref="Value"/> (the object is fine, is
/// being made again, or has failed for good), or run <see cref="Remake"/>'s task again, whose
/// returns now wait for it.
/// </summary>
internal readonly record struct RecoveryStart(Task<ObjectValue> Value, LineageRecord? Remake, TaskSpec? Spec);
