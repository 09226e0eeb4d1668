using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Plexus.Data.Blocks;

/// <summary>
/// Reinterprets rows as bytes and back for row types known (by <see cref="RowFormat{T}.IsRaw"/>) to
/// hold no references; the generic code cannot say <c>unmanaged</c>, so the check is made once per type instead.
/// </summary>
internal static class RawSpans
{
    public static ReadOnlySpan<byte> AsBytes<T>(ReadOnlySpan<T> rows) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(rows)), rows.Length * Unsafe.SizeOf<T>());

    public static Span<T> AsRows<T>(Span<byte> bytes) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetReference(bytes)), bytes.Length / Unsafe.SizeOf<T>());
}
