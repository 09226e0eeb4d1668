namespace Plexus.Core.Recovery;

/// <summary>
/// A stored object could not be copied because the node holding it cannot be reached (it died or
/// left). Readers do not let it reach the user: they ask the object's owner for its current value,
/// which the owner finds elsewhere or makes again (<c>CoreRuntime.PinCurrentAsync</c>). Should one
/// surface after every attempt, it is the <see cref="ObjectLostException"/> it derives from.
/// </summary>
internal sealed class ObjectUnreachableException(string message, ObjectLossReason reason) : ObjectLostException(message, reason);
