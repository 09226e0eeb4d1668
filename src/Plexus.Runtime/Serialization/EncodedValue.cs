using System.Runtime.InteropServices;
using Plexus.ObjectStore;
using Plexus.Protocol.Messages;

namespace Plexus.Serialization;

/// <summary>
/// A value ready to be stored: MessagePack bytes, or an array of an unmanaged type kept as it is so
/// its elements are copied once, straight into shared memory.
/// </summary>
internal readonly struct EncodedValue
{
    private readonly byte[]? _bytes;
    private readonly Array? _raw;

    private EncodedValue(ValueFormat format, long length, byte[]? bytes, Array? raw, ObjectRef[]? refs, NestedRef[]? nested)
    {
        Format = format;
        Length = length;
        _bytes = bytes;
        _raw = raw;
        Refs = refs;
        Nested = nested;
    }

    public ValueFormat Format { get; }

    public long Length { get; }

    /// <summary>The futures the value contains, once each; null when none.</summary>
    public ObjectRef[]? Refs { get; }

    /// <summary>The protocol's names for <see cref="Refs"/>, each saying whether the writer gave it (<see cref="NestedRef.Given"/>).</summary>
    public NestedRef[]? Nested { get; }

    public static EncodedValue FromMessagePack(byte[] bytes, ObjectRef[]? refs, NestedRef[]? nested) => new(ValueFormat.MessagePack, bytes.Length, bytes, null, refs, nested);

    public static EncodedValue FromRawArray(Array array) => new(ValueFormat.RawArray, Buffer.ByteLength(array), null, array, null, null);

    /// <summary>Stands for a <see cref="CancellationToken"/> argument: the worker gives the parameter the task's own token.</summary>
    public static EncodedValue CancellationTokenMarker { get; } = new(ValueFormat.CancellationToken, 0, [], null, null, null);

    public byte[] ToArray()
    {
        if (_bytes is not null)
        {
            return _bytes;
        }

        var copy = GC.AllocateUninitializedArray<byte>(checked((int)Length));
        RawSpan(_raw!).CopyTo(copy);
        return copy;
    }

    /// <summary>Writes the value into the arena at <paramref name="offset"/>.</summary>
    public unsafe void CopyTo(SharedMemoryArena arena, long offset)
    {
        var destination = arena.BasePointer + offset;
        if (_bytes is not null)
        {
            _bytes.AsSpan().CopyTo(new Span<byte>(destination, _bytes.Length));
            return;
        }

        fixed (byte* source = &MemoryMarshal.GetArrayDataReference(_raw!))
        {
            Buffer.MemoryCopy(source, destination, Length, Length);
        }
    }

    private static Span<byte> RawSpan(Array array) =>
        MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(array), checked((int)Buffer.ByteLength(array)));
}
