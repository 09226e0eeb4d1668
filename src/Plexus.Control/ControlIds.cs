using System.Buffers.Binary;

namespace Plexus.Control;

/// <summary>
/// Node, job and actor ids as the control service stores them: big-endian bytes, so their hex is the
/// ids' hex as logs and <c>plexus status</c> show them.
/// </summary>
internal static class ControlIds
{
    public static byte[] Node(ulong node)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, node);
        return bytes;
    }

    /// <summary>The node id of the service's 8 bytes; 0 for anything else.</summary>
    public static ulong NodeOf(byte[] bytes) => bytes.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : 0;

    /// <summary>The job id of the service's 16 bytes; null for anything else.</summary>
    public static JobId? JobOf(byte[] bytes) => bytes.Length == 16
        ? new JobId(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8)))
        : null;

    public static byte[] Job(JobId job)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, job.High);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), job.Low);
        return bytes;
    }

    /// <summary>An actor's id: its job's 16 bytes, then its path's 8.</summary>
    public static byte[] Actor(TaskId actor)
    {
        var bytes = new byte[24];
        Job(actor.Job).CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(16), actor.Path);
        return bytes;
    }

    /// <summary>The actor id of the service's 24 bytes; null for anything else.</summary>
    public static TaskId? ActorOf(byte[] bytes) => bytes.Length == 24 && JobOf(bytes[..16]) is { } job
        ? new TaskId(job, BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(16)))
        : null;
}
