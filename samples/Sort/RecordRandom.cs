namespace Plexus.Samples.Sort;

/// <summary>
/// The random bits of each generated record, a pure function of (seed, record index): the
/// SplitMix64 sequence seeded with the seed, read at positions <c>2i</c> and <c>2i + 1</c>. Any
/// range of records is therefore made alike by any task, in any order, with no state carried
/// from one record to the next, and unlike <see cref="Random"/> the bits are fixed by the
/// algorithm with every .NET version.
/// </summary>
internal static class RecordRandom
{
    // SplitMix64's increment: the golden ratio in 64-bit fixed point.
    private const ulong Gamma = 0x9E3779B97F4A7C15;

    /// <summary>The 128 random bits of record <paramref name="index"/>, as gensort's <c>u16</c> (high and low halves).</summary>
    public static (ulong High, ulong Low) Of(ulong seed, long index)
    {
        var position = unchecked(seed + (2 * (ulong)index * Gamma));
        return (Mix(unchecked(position + Gamma)), Mix(unchecked(position + (2 * Gamma))));
    }

    // SplitMix64's output function: a bijection that spreads every input bit over the output.
    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EB);
        return z ^ (z >> 31);
    }
}
