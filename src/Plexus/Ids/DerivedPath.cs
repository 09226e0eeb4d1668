namespace Plexus;

/// <summary>Derives child path values deterministically from a parent path and a counter.</summary>
internal static class DerivedPath
{
    // A strong 64-bit mix (the finalizer of SplitMix64) over the parent and the counter: cheap, and
    // distinct inputs give well-spread outputs, so sibling and cousin ids do not collide in practice.
    public static ulong Mix(ulong parent, ulong counter)
    {
        var z = parent ^ (counter * 0x9E3779B97F4A7C15UL) ^ 0xD1B54A32D192ED03UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return z == 0 ? 1 : z;
    }
}
