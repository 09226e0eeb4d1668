using System.Security.Cryptography;

namespace Plexus.Protocol.Handshake;

/// <summary>A random number drawn once per process start, sent in every preamble this process sends.</summary>
internal static class ProcessIncarnation
{
    /// <summary>This process's incarnation (never 0).</summary>
    public static ulong Current { get; } = Draw();

    private static ulong Draw()
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes) | 1;
    }
}
