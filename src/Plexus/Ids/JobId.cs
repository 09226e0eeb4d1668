using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Plexus;

/// <summary>
/// The identity of one job (one driver program run). Its 128 bits are random, so every id derived
/// from it is an unguessable capability: holding a reference is what grants access.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct JobId(ulong High, ulong Low)
{
    /// <summary>Creates a job id from a cryptographically random 128-bit value.</summary>
    public static JobId NewRandom()
    {
        Span<ulong> parts = stackalloc ulong[2];
        RandomNumberGenerator.Fill(MemoryMarshal.AsBytes(parts));
        return new JobId(parts[0], parts[1]);
    }

    /// <inheritdoc />
    public override string ToString() => $"{High:x16}{Low:x16}";
}
