using MemoryPack;
using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>
/// A restartable actor's spec and code as the control service keeps them (opaque bytes to the
/// service, <see cref="ActorRestartSpec"/>), so that a node other than its host can build it again
/// when its host dies.
/// </summary>
internal static class ActorSpecs
{
    /// <summary>The bytes of <paramref name="actor"/> running <paramref name="code"/>.</summary>
    public static byte[] Encode(ActorSpec actor, ActorCode code) =>
        MemoryPackSerializer.Serialize(new ActorRestartSpec { Spec = actor, Package = code.Package, Driver = code.Driver });

    /// <summary>The spec and code in <paramref name="bytes"/>; null when there are none or they are not what this node can read.</summary>
    public static ActorRestartSpec? Decode(byte[]? bytes)
    {
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return MemoryPackSerializer.Deserialize<ActorRestartSpec>(bytes) is { Spec: { Constructor: not null, Args: not null } } decoded ? decoded : null;
        }
        catch (MemoryPackSerializationException)
        {
            return null;
        }
    }
}

/// <summary>
/// A restart the control service asks of this node: build <paramref name="Actor"/>'s incarnation
/// <paramref name="Incarnation"/> from <paramref name="Checkpoint"/>, with its job's code.
/// </summary>
internal sealed record ActorRestartAssignment(ActorRestartSpec Actor, long Incarnation, byte[]? Checkpoint);
