using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Plexus.Data;

namespace Plexus.Samples.Sort;

/// <summary>
/// The 10-byte key of a <see cref="GensortRecord"/>, ordered as the bytes are (as <c>memcmp</c>
/// orders them), which is the order the sort benchmarks define.
/// </summary>
/// <remarks>
/// The bytes are held as an 8-byte head and a 2-byte tail in memory order, so the key is exactly
/// the record's first 10 bytes, and a comparison is two integer compares after a byte swap.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Pack = 1, Size = Size)]
public readonly struct GensortKey : INormalizedKey<GensortKey>, IEquatable<GensortKey>
{
    /// <summary>The key's length in bytes: 10.</summary>
    public const int Size = 10;

    // Bytes 0..7 and 8..9 of the key, in memory order (not the machine's integer order).
    private readonly ulong _head;
    private readonly ushort _tail;

    /// <summary>Makes a key of the given bytes.</summary>
    /// <param name="bytes">Exactly <see cref="Size"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 10 bytes long.</exception>
    public GensortKey(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A gensort key is {Size} bytes; got {bytes.Length}.", nameof(bytes));
        }

        _head = MemoryMarshal.Read<ulong>(bytes);
        _tail = MemoryMarshal.Read<ushort>(bytes[8..]);
    }

    /// <summary>The key's first 8 bytes read big-endian: their order is the key's order.</summary>
    public ulong NormalizedPrefix => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(_head) : _head;

    // Bytes 8 and 9 read big-endian, for the comparison after equal prefixes.
    private ushort NormalizedTail => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(_tail) : _tail;

    /// <summary>Compares the keys' bytes in order, as <c>memcmp</c> does.</summary>
    public int CompareTo(GensortKey other)
    {
        var head = NormalizedPrefix.CompareTo(other.NormalizedPrefix);
        return head != 0 ? head : NormalizedTail.CompareTo(other.NormalizedTail);
    }

    /// <summary>Copies the key's 10 bytes into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 10 bytes.</exception>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"A gensort key needs {Size} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        MemoryMarshal.Write(destination, in _head);
        MemoryMarshal.Write(destination[8..], in _tail);
    }

    /// <inheritdoc/>
    public bool Equals(GensortKey other) => _head == other._head && _tail == other._tail;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is GensortKey other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_head, _tail);

    /// <summary>The key's bytes in hexadecimal, as valsort prints keys.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Convert.ToHexString(bytes);
    }

    /// <summary>Whether the keys' bytes are equal.</summary>
    public static bool operator ==(GensortKey left, GensortKey right) => left.Equals(right);

    /// <summary>Whether the keys' bytes differ.</summary>
    public static bool operator !=(GensortKey left, GensortKey right) => !left.Equals(right);

    /// <summary>Whether <paramref name="left"/> sorts before <paramref name="right"/>.</summary>
    public static bool operator <(GensortKey left, GensortKey right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> sorts after <paramref name="right"/>.</summary>
    public static bool operator >(GensortKey left, GensortKey right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> sorts before or equal to <paramref name="right"/>.</summary>
    public static bool operator <=(GensortKey left, GensortKey right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> sorts after or equal to <paramref name="right"/>.</summary>
    public static bool operator >=(GensortKey left, GensortKey right) => left.CompareTo(right) >= 0;
}
