namespace Plexus.Samples.WordCount;

/// <summary>
/// A tiny seeded random generator (SplitMix64) whose sequence is fixed by its algorithm, unlike
/// <see cref="Random"/>'s, so a generated corpus is the same with every .NET version.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    // The generator's whole state: advanced by a constant on every draw.
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>) (with negligible bias for small bounds).</summary>
    public int NextInt(int maxExclusive) => (int)(Next() % (ulong)maxExclusive);
}
