using System.Runtime.CompilerServices;

namespace Plexus.Samples.Sort;

/// <summary>
/// The 90 bytes of a <see cref="GensortRecord"/> after its key: in gensort's binary layout, the
/// break <c>00 11</c>, the record number as 32 hexadecimal digits, the break <c>88 99 AA BB</c>,
/// 48 filler bytes, and the break <c>CC DD EE FF</c>.
/// </summary>
[InlineArray(Size)]
public struct GensortPayload
{
    /// <summary>The payload's length in bytes: 90.</summary>
    public const int Size = 90;

    // The first byte; the runtime lays out the other 89 after it.
    private byte _element0;
}
