namespace Plexus.Data.Shuffle;

/// <summary>
/// SplitMix64 seeded by (seed, stream): the same numbers in every process and .NET version, which
/// <see cref="Random"/> does not promise. A stream is a block (map side) or a partition (reduce side).
/// </summary>
internal struct SeededRandom
{
    // The generator's whole state, advanced by the golden-ratio increment on every draw.
    private ulong _state;

    public SeededRandom(ulong seed, long stream) => _state = Mix(seed ^ Mix((ulong)stream + 0x9E37_79B9_7F4A_7C15UL));

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), by the high half of a 64×64 product.</summary>
    public int NextBelow(int bound) => (int)Math.BigMul(NextUInt64(), (ulong)bound, out _);

    public ulong NextUInt64()
    {
        _state += 0x9E37_79B9_7F4A_7C15UL;
        return Mix(_state);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }
}
