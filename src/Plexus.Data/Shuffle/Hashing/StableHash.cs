using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Plexus.Data.Shuffle;

/// <summary>
/// A 64-bit hash of a key that is the same in every process and on every run, which hash
/// partitioning needs: the maps of one shuffle run in many workers and must agree on where a key
/// goes. <see cref="object.GetHashCode"/> is never used, since for strings it is random per process.
/// </summary>
/// <remarks>
/// The hash is XxHash3 (seed 0) over the key's canonical bytes (<see cref="CanonicalWriter"/>):
/// integers, enums and byte-stable structs by their little-endian bytes, strings as their UTF-16
/// code units (no length, so a <see cref="ReadOnlySpan{T}"/> of chars hashes like the string),
/// floating-point and decimals normalized so that equal values hash equally, records, classes and
/// tuples field by field, and other shapes by their MessagePack bytes.
/// </remarks>
internal static class StableHash
{
    // What a null string hashes to: no UTF-16 text has this hash's input, an empty input with seed 1.
    private static readonly ulong NullStringHash = XxHash3.HashToUInt64([], seed: 1);

    /// <summary>The stable hash of a key of any type.</summary>
    public static ulong Of<T>(T key)
    {
        if (typeof(T) == typeof(string))
        {
            return Of(Unsafe.As<T, string?>(ref key));
        }

        if (RawKey<T>.IsRaw)
        {
            return XxHash3.HashToUInt64(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, byte>(ref key), Unsafe.SizeOf<T>()));
        }

        var writer = CanonicalWriter.Rent();
        KeyWriter<T>.WriteTo(writer, key);
        return XxHash3.HashToUInt64(writer.Written);
    }

    /// <summary>The stable hash of a string: XxHash3 over its UTF-16 code units.</summary>
    public static ulong Of(string? key) => key is null ? NullStringHash : Of(key.AsSpan());

    /// <summary>The same hash as <see cref="Of(string)"/> of the equal string, without making one.</summary>
    public static ulong Of(ReadOnlySpan<char> key) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(key));

    /// <summary>The partition of a hash among <paramref name="partitionCount"/> partitions: hash mod R.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int PartitionOf(ulong hash, int partitionCount) => (int)(hash % (uint)partitionCount);

    private static class RawKey<T>
    {
        public static readonly bool IsRaw = CanonicalLayout.IsRawHashable(typeof(T));
    }
}
