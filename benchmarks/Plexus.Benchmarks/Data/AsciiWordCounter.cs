using System.Runtime.InteropServices;
using System.Text;

namespace Plexus.Benchmarks.Data;

/// <summary>
/// The word count's work done by hand on one thread: split UTF-8 text into lines, decode each
/// line, cut it into words (maximal runs of ASCII letters, lower-cased, the definition Dask's
/// bench.py uses) and count them in a <see cref="Dictionary{TKey, TValue}"/> looked up by span,
/// so a word seen before costs no string.
/// </summary>
internal sealed class AsciiWordCounter
{
    // Counts by word; looked up by ReadOnlySpan<char> so only new words allocate a string.
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    // The current line, decoded; grown when a longer line comes.
    private char[] _line = new char[4096];
    // The current word, lower-cased; grown when a longer word comes.
    private char[] _word = new char[256];

    /// <summary>Every word counted so far, with its count.</summary>
    public IReadOnlyDictionary<string, long> Counts => _counts;

    /// <summary>Counts the words of every line of <paramref name="text"/>.</summary>
    public void CountLines(ReadOnlySpan<byte> text)
    {
        var lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
        while (!text.IsEmpty)
        {
            var end = text.IndexOf((byte)'\n');
            var line = end < 0 ? text : text[..end];
            text = end < 0 ? default : text[(end + 1)..];
            if (Encoding.UTF8.GetMaxCharCount(line.Length) > _line.Length)
            {
                _line = new char[Encoding.UTF8.GetMaxCharCount(line.Length)];
            }

            var chars = Encoding.UTF8.GetChars(line, _line);
            CountWords(_line.AsSpan(0, chars), lookup);
        }
    }

    private void CountWords(ReadOnlySpan<char> line, Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> lookup)
    {
        var length = 0;
        foreach (var c in line)
        {
            // ASCII letters only: setting bit 5 lower-cases 'A'..'Z' and leaves 'a'..'z' as they are.
            var lower = (char)(c | 0x20);
            if (lower is >= 'a' and <= 'z')
            {
                if (length == _word.Length)
                {
                    Array.Resize(ref _word, _word.Length * 2);
                }

                _word[length++] = lower;
            }
            else if (length > 0)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(lookup, _word.AsSpan(0, length), out _)++;
                length = 0;
            }
        }

        if (length > 0)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(lookup, _word.AsSpan(0, length), out _)++;
        }
    }
}
