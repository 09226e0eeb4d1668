using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Plexus.Benchmarks.Limits;

/// <summary>
/// GB per second of <c>Buffer.MemoryCopy</c> of 1 GiB on one thread: the most a put or get
/// that copies a value once can reach. The best of a few copies, after one that touches every page.
/// </summary>
internal static class MemcpyLimit
{
    private const long Bytes = 1L << 30;
    private const int Copies = 3;

    public static unsafe double Measure()
    {
        var source = (byte*)NativeMemory.AlignedAlloc((nuint)Bytes, 4096);
        var destination = (byte*)NativeMemory.AlignedAlloc((nuint)Bytes, 4096);
        try
        {
            new Span<byte>(source, (int)Bytes).Fill(1);
            Buffer.MemoryCopy(source, destination, Bytes, Bytes);
            var best = double.MaxValue;
            for (var i = 0; i < Copies; i++)
            {
                var start = Stopwatch.GetTimestamp();
                Buffer.MemoryCopy(source, destination, Bytes, Bytes);
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }

            return Bytes / best / 1e9;
        }
        finally
        {
            NativeMemory.AlignedFree(source);
            NativeMemory.AlignedFree(destination);
        }
    }
}
