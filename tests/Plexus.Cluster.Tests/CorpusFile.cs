namespace Plexus.Cluster.Tests;

/// <summary>A text of made-up words for word counts: the same bytes for the same seed.</summary>
internal static class CorpusFile
{
    private const int Vocabulary = 20_000;

    /// <summary>Writes about <paramref name="bytes"/> bytes of lines of words to <paramref name="path"/>.</summary>
    public static void Write(string path, long bytes, int seed = 11)
    {
        var random = new Random(seed);
        var words = Enumerable.Range(0, Vocabulary).Select(i => MakeWord(random, i)).ToArray();
        using var writer = new StreamWriter(path);
        long written = 0;
        while (written < bytes)
        {
            var line = string.Join(' ', Enumerable.Range(0, 12).Select(_ => words[Zipf(random)]));
            writer.WriteLine(line);
            written += line.Length + 1;
        }
    }

    private static string MakeWord(Random random, int index) =>
        new string(Enumerable.Range(0, 2 + random.Next(8)).Select(_ => (char)('a' + random.Next(26))).ToArray()) + (index % 7 == 0 ? "'s" : "");

    // Some words far more often than others, as in text.
    private static int Zipf(Random random) => (int)(Vocabulary * Math.Pow(random.NextDouble(), 3));
}
