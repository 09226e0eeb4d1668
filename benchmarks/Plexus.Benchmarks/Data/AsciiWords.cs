using Plexus.Data;

namespace Plexus.Benchmarks.Data;

/// <summary>A line's words as <see cref="AsciiWordCounter"/> counts them: runs of ASCII letters, lower-cased.</summary>
internal static class AsciiWords
{
    /// <summary>Adds each word of <paramref name="line"/>, lower-cased into a buffer, to <paramref name="tokens"/>.</summary>
    public static void Tokenize(ReadOnlySpan<char> line, TokenSink tokens)
    {
        Span<char> buffer = stackalloc char[256];
        var word = buffer;
        var length = 0;
        foreach (var c in line)
        {
            // Setting bit 5 lower-cases 'A'..'Z' and leaves 'a'..'z' as they are.
            var lower = (char)(c | 0x20);
            if (lower is >= 'a' and <= 'z')
            {
                if (length == word.Length)
                {
                    var longer = new char[word.Length * 2];
                    word.CopyTo(longer);
                    word = longer;
                }

                word[length++] = lower;
            }
            else if (length > 0)
            {
                tokens.Add(word[..length]);
                length = 0;
            }
        }

        if (length > 0)
        {
            tokens.Add(word[..length]);
        }
    }
}
