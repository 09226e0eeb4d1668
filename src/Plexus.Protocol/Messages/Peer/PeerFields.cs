namespace Plexus.Protocol.Messages;

/// <summary>The checks the object transfer messages share: an object named, offsets and sizes not negative.</summary>
internal static class PeerFields
{
    /// <summary>Throws unless <paramref name="id"/> names an object (ids of real objects are never all zero).</summary>
    public static void ThrowIfMissing(ObjectId id, string field)
    {
        if (id == default)
        {
            throw new ProtocolViolationException($"{field} is missing");
        }
    }

    public static void ThrowIfNegative(long value, string field)
    {
        if (value < 0)
        {
            throw new ProtocolViolationException($"{field} is negative ({value})");
        }
    }
}
