using System.Buffers.Binary;
using Google.Protobuf;

namespace Plexus.Control.State;

/// <summary>A task's (or actor call's) id in the task table: its job's 128 bits and its 64-bit path.</summary>
internal readonly record struct TaskKey(JobId Job, ulong Path)
{
    /// <summary>The key of an id as nodes report it (24 bytes, big-endian).</summary>
    /// <exception cref="ArgumentException">The id is not 24 bytes; the message names <paramref name="field"/>.</exception>
    public static TaskKey Parse(ByteString bytes, string field)
    {
        if (bytes.Length != 24)
        {
            throw new ArgumentException($"{field} must be a task id of 24 bytes (its job's 16, then its path's 8); it has {bytes.Length}.");
        }

        var span = bytes.Span;
        return new TaskKey(JobKeys.Parse(span[..16]), BinaryPrimitives.ReadUInt64BigEndian(span[16..]));
    }

    public ByteString ToBytes()
    {
        Span<byte> bytes = stackalloc byte[24];
        JobKeys.Write(Job, bytes);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], Path);
        return ByteString.CopyFrom(bytes);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Job}{Path:x16}";
}

/// <summary>Job ids as the control service's messages carry them: 16 bytes, big-endian.</summary>
internal static class JobKeys
{
    /// <exception cref="ArgumentException">The id is not 16 bytes; the message names <paramref name="field"/>.</exception>
    public static JobId Parse(ByteString bytes, string field) => bytes.Length == 16
        ? Parse(bytes.Span)
        : throw new ArgumentException($"{field} must be a job id of 16 bytes; it has {bytes.Length}.");

    public static JobId Parse(ReadOnlySpan<byte> bytes) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));

    public static void Write(JobId job, Span<byte> into)
    {
        BinaryPrimitives.WriteUInt64BigEndian(into, job.High);
        BinaryPrimitives.WriteUInt64BigEndian(into[8..], job.Low);
    }

    public static ByteString ToBytes(JobId job)
    {
        Span<byte> bytes = stackalloc byte[16];
        Write(job, bytes);
        return ByteString.CopyFrom(bytes);
    }
}
