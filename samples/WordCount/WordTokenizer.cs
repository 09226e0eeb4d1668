using System.Buffers;
using System.Runtime.InteropServices;

namespace Plexus.Samples.WordCount;

/// <summary>
/// Splits text into words without decoding it: a word is a maximal run of ASCII letters
/// [A-Za-z], lowercased. Every other byte separates words, including each byte of a multi-byte
/// UTF-8 letter, so "café" counts as "caf" and "naïve" as "na" and "ve".
/// </summary>
internal static class WordTokenizer
{
    private const int MaxStackWord = 256;
    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;

    /// <summary>The bytes words are made of: ASCII letters.</summary>
    public static SearchValues<byte> Letters { get; } = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>
    /// Counts the words of <paramref name="text"/> into <paramref name="partitionCount"/> dictionaries;
    /// a word goes to partition <see cref="PartitionOf"/>, so every mapper sends it to the same reducer.
    /// </summary>
    public static Dictionary<string, long>[] Count(ReadOnlySpan<byte> text, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        var partitions = new Dictionary<string, long>[partitionCount];
        var lookups = new Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>>[partitionCount];
        for (var i = 0; i < partitionCount; i++)
        {
            partitions[i] = new Dictionary<string, long>(StringComparer.Ordinal);
            lookups[i] = partitions[i].GetAlternateLookup<ReadOnlySpan<char>>();
        }

        Span<char> stackWord = stackalloc char[MaxStackWord];
        var position = 0;
        while (position < text.Length)
        {
            var start = text[position..].IndexOfAny(Letters);
            if (start < 0)
            {
                break;
            }

            start += position;
            var length = text[start..].IndexOfAnyExcept(Letters);
            if (length < 0)
            {
                length = text.Length - start;
            }

            // Words longer than the stack buffer are rare (and legal): they get a heap buffer of their own.
            var word = length <= MaxStackWord ? stackWord[..length] : new char[length];
            var hash = Lowercase(text.Slice(start, length), word);
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(lookups[hash % (uint)partitionCount], word, out _);
            count++;
            position = start + length;
        }

        return partitions;
    }

    /// <summary>
    /// The partition of a lowercase word: FNV-1a of its bytes, modulo <paramref name="partitionCount"/>.
    /// Stable across processes and runs, unlike <see cref="string.GetHashCode()"/>.
    /// </summary>
    public static int PartitionOf(string word, int partitionCount)
    {
        var hash = FnvOffset;
        foreach (var c in word)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        return (int)(hash % (uint)partitionCount);
    }

    // Writes the lowercase word into `destination` and returns its FNV-1a hash (the same as PartitionOf's).
    private static uint Lowercase(ReadOnlySpan<byte> letters, Span<char> destination)
    {
        var hash = FnvOffset;
        for (var i = 0; i < letters.Length; i++)
        {
            // Setting bit 0x20 lowercases an ASCII letter and leaves a lowercase one as it is.
            var lower = (byte)(letters[i] | 0x20);
            destination[i] = (char)lower;
            hash = (hash ^ lower) * FnvPrime;
        }

        return hash;
    }
}
