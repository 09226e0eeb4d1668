namespace Plexus.Benchmarks.Data;

/// <summary>A line's words as <see cref="AsciiWordCounter"/> counts them: runs of ASCII letters, lower-cased.</summary>
internal static class AsciiWords
{
    public static List<string> Of(string line)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= line.Length; i++)
        {
            var letter = i < line.Length && IsLetter(line[i]);
            if (letter && start < 0)
            {
                start = i;
            }
            else if (!letter && start >= 0)
            {
                words.Add(string.Create(i - start, (line, start), static (word, at) =>
                {
                    for (var j = 0; j < word.Length; j++)
                    {
                        word[j] = (char)(at.line[at.start + j] | 0x20);
                    }
                }));
                start = -1;
            }
        }

        return words;
    }

    // Setting bit 5 lower-cases 'A'..'Z' and leaves 'a'..'z' as they are.
    private static bool IsLetter(char c) => (char)(c | 0x20) is >= 'a' and <= 'z';
}
