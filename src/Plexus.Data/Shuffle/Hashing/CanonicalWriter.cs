using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MessagePack;
using MessagePack.Resolvers;

namespace Plexus.Data.Shuffle;

/// <summary>
/// Collects the canonical bytes of one key, which <see cref="StableHash"/> then hashes: the same
/// value gives the same bytes in every process, on every run.
/// </summary>
/// <remarks>
/// Values equal under default equality must give equal bytes, or a hash partitioner would send one
/// group to two reducers: so doubles fold -0.0 into +0.0 and every NaN into one, and decimals drop
/// trailing zeros (1.0m equals 1.00m), and dates keep only the instant. Variable-length values carry their length, so that field
/// sequences cannot alias ("ab","c" against "a","bc"). Bytes are the machine's order, which is
/// little-endian on every platform .NET runs Plexus on.
/// </remarks>
internal sealed class CanonicalWriter
{
    private static readonly MessagePackSerializerOptions FallbackOptions =
        MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolver.Instance);

    // One writer per thread, reused for every key hashed on it: hashing allocates nothing.
    [ThreadStatic]
    private static CanonicalWriter? t_writer;

    // The bytes written so far for the current key, in _buffer[0.._length].
    private byte[] _buffer = new byte[256];
    private int _length;

    /// <summary>The calling thread's writer, emptied.</summary>
    public static CanonicalWriter Rent()
    {
        var writer = t_writer ??= new CanonicalWriter();
        writer._length = 0;
        return writer;
    }

    /// <summary>The bytes written since <see cref="Rent"/>.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>Writes a value by its bytes; only for types <see cref="CanonicalLayout.IsRawHashable"/> accepts.</summary>
    public void WriteRaw<TValue>(TValue value)
    {
        var size = Unsafe.SizeOf<TValue>();
        Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(Reserve(size)), value);
    }

    public void WriteDouble(double value) => WriteRaw(CanonicalBits(value));

    public void WriteSingle(float value) => WriteRaw(CanonicalBits(value));

    public void WriteHalf(Half value) => WriteRaw(CanonicalBits((double)value));

    public void WriteDecimal(decimal value)
    {
        // Dividing by 1 with 28 zero decimals gives the value with the smallest scale that holds it,
        // so equal decimals of different scales (1.0m, 1.00m) get the same bits.
        var normalized = value / 1.0000000000000000000000000000m;
        WriteRaw(normalized == 0m ? 0m : normalized);
    }

    /// <summary>Writes the ticks alone: DateTime equality ignores <see cref="DateTime.Kind"/>.</summary>
    public void WriteDateTime(DateTime value) => WriteRaw(value.Ticks);

    /// <summary>Writes the UTC ticks alone: DateTimeOffsets are equal when they name the same instant.</summary>
    public void WriteDateTimeOffset(DateTimeOffset value) => WriteRaw(value.UtcTicks);

    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteRaw(-1);
            return;
        }

        WriteRaw(value.Length);
        MemoryMarshal.AsBytes(value.AsSpan()).CopyTo(Reserve(value.Length * sizeof(char)));
    }

    /// <summary>Writes whether a reference is null; the caller writes the value only when it is not.</summary>
    public bool WritePresence(object? value)
    {
        WriteRaw(value is null ? (byte)0 : (byte)1);
        return value is not null;
    }

    /// <summary>The last resort for keys without a fixed shape (object, interfaces, arrays): their MessagePack bytes.</summary>
    public void WriteMessagePack(object? value)
    {
        if (!WritePresence(value))
        {
            return;
        }

        var bytes = MessagePackSerializer.Serialize(value!.GetType(), value, FallbackOptions);
        WriteRaw(bytes.Length);
        bytes.CopyTo(Reserve(bytes.Length));
    }

    private static ulong CanonicalBits(double value) =>
        double.IsNaN(value) ? 0x7FF8_0000_0000_0000UL : BitConverter.DoubleToUInt64Bits(value == 0d ? 0d : value);

    private static uint CanonicalBits(float value) =>
        float.IsNaN(value) ? 0x7FC0_0000U : BitConverter.SingleToUInt32Bits(value == 0f ? 0f : value);

    private Span<byte> Reserve(int count)
    {
        if (_buffer.Length - _length < count)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
