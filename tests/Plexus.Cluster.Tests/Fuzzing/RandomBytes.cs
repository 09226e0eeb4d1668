namespace Plexus.Cluster.Tests.Fuzzing;

/// <summary>What the fuzzers draw from their seeded <see cref="Random"/>.</summary>
internal static class RandomBytes
{
    /// <summary>Between <paramref name="min"/> and <paramref name="max"/> random bytes.</summary>
    public static byte[] Bytes(this Random random, int min, int max)
    {
        var bytes = new byte[random.Next(min, max + 1)];
        random.NextBytes(bytes);
        return bytes;
    }

    public static ulong NextULong(this Random random) => (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63);
}
