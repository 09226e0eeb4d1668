using System.Runtime.InteropServices;

namespace Plexus.Samples.Sort;

/// <summary>
/// A 100-byte record of the sort benchmarks, laid out as gensort writes binary records: a 10-byte
/// key, then a 90-byte payload. An array of records is byte for byte a gensort file, so records are
/// read and written as raw bytes, with no encoding step.
/// </summary>
/// <param name="key">The record's key, its first 10 bytes.</param>
/// <param name="payload">The record's other 90 bytes.</param>
[StructLayout(LayoutKind.Sequential, Pack = 1, Size = Size)]
public readonly struct GensortRecord(GensortKey key, GensortPayload payload)
{
    /// <summary>The record's length in bytes: 100.</summary>
    public const int Size = GensortKey.Size + GensortPayload.Size;

    /// <summary>The key the records are sorted by: bytes 0..9.</summary>
    public GensortKey Key { get; } = key;

    /// <summary>Bytes 10..99.</summary>
    public GensortPayload Payload { get; } = payload;
}
