using System.Text;

namespace Plexus.Samples.WordCount;

/// <summary>
/// Writes a deterministic English-looking corpus: words drawn from a generated vocabulary with a
/// Zipf distribution, in sentences with punctuation, mixed case, line breaks and paragraphs, and
/// now and then a token the tokenizer must split: non-ASCII words ("café", "naïve"), digits,
/// contractions, hyphens. The same seed and size give the same bytes on every machine.
/// </summary>
internal static class CorpusGenerator
{
    private const int VocabularySize = 30_000;
    private const double ZipfExponent = 1.05;
    private const int LineWidth = 76;

    private static readonly string[] CommonWords =
    [
        "the", "of", "and", "to", "a", "in", "is", "that", "it", "was", "for", "on", "are", "as", "with",
        "his", "they", "at", "be", "this", "from", "have", "or", "by", "one", "had", "not", "but", "what", "all",
        "were", "when", "we", "there", "can", "an", "your", "which", "their", "said", "if", "do", "will", "each",
    ];

    // Tokens that exercise the tokenizer: UTF-8 letters, digits, apostrophes, hyphens, symbols.
    private static readonly byte[][] OddTokens =
    [
        .. new[]
        {
            "café", "naïve", "déjà", "vu", "Zürich", "façade", "smörgåsbord", "jalapeño", "crème", "brûlée", "Ελλάδα", "日本語",
            "don't", "It's", "rock'n'roll", "e-mail", "x86_64", "3.14159", "42", "1999", "2024-01-31", "C#", "#hashtag",
            "user@example.com", "—", "(sic)", "\"quoted\"", "naïveté", "coöperate", "São", "Paulo", "ÉCOLE",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    private static readonly string[] Onsets = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br", "ch", "cl", "dr", "fl", "gr", "pl", "qu", "sh", "st", "th", "tr"];
    private static readonly string[] Vowels = ["a", "e", "i", "o", "u", "y", "ai", "ea", "ee", "ie", "oo", "ou"];
    private static readonly string[] Codas = ["", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ng", "ck"];

    /// <summary>
    /// Writes about <paramref name="targetBytes"/> bytes (a sentence more at most) of text to
    /// <paramref name="path"/>, replacing the file, and returns how many bytes it wrote.
    /// </summary>
    public static async Task<long> WriteAsync(string path, long targetBytes, ulong seed = 42, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(targetBytes);
        var random = new SplitMix64(seed);
        var vocabulary = BuildVocabulary(ref random);
        var cumulative = ZipfCumulativeWeights(vocabulary.Length);
        var block = new TextBlock(1 << 20);
        long written = 0;
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            var column = 0;
            while (written + block.Length < targetBytes)
            {
                WriteSentence(block, ref random, vocabulary, cumulative, ref column);
                if (block.Length > block.Capacity - 4096)
                {
                    await stream.WriteAsync(block.Memory, cancellationToken).ConfigureAwait(false);
                    written += block.Length;
                    block.Clear();
                }
            }

            block.Append((byte)'\n');
            await stream.WriteAsync(block.Memory, cancellationToken).ConfigureAwait(false);
            written += block.Length;
        }

        return written;
    }

    private static void WriteSentence(TextBlock block, ref SplitMix64 random, byte[][] vocabulary, double[] cumulative, ref int column)
    {
        var words = 3 + random.NextInt(16);
        for (var i = 0; i < words; i++)
        {
            var odd = random.NextDouble() < 0.01;
            var token = odd ? OddTokens[random.NextInt(OddTokens.Length)] : vocabulary[SampleZipf(cumulative, random.NextDouble())];
            var casing = odd ? Casing.AsIs : i == 0 ? Casing.Capitalized : PickCasing(ref random);
            if (column > 0 && column + token.Length >= LineWidth)
            {
                block.Append((byte)'\n');
                column = 0;
            }
            else if (column > 0)
            {
                block.Append((byte)' ');
                column++;
            }

            block.Append(token, casing);
            column += token.Length;
            if (i < words - 1 && random.NextDouble() < 0.07)
            {
                block.Append(random.NextDouble() < 0.8 ? (byte)',' : (byte)';');
                column++;
            }
        }

        var end = random.NextDouble();
        block.Append(end < 0.85 ? (byte)'.' : end < 0.93 ? (byte)'?' : (byte)'!');
        column++;
        if (random.NextDouble() < 0.06)
        {
            block.Append("\n\n"u8);
            column = 0;
        }
    }

    private static Casing PickCasing(ref SplitMix64 random)
    {
        var roll = random.NextDouble();
        return roll < 0.02 ? Casing.Upper : roll < 0.06 ? Casing.Capitalized : Casing.AsIs;
    }

    private static byte[][] BuildVocabulary(ref SplitMix64 random)
    {
        var words = new List<string>(CommonWords);
        var seen = new HashSet<string>(CommonWords, StringComparer.Ordinal);
        while (words.Count < VocabularySize)
        {
            var syllables = 1 + random.NextInt(4);
            var word = new StringBuilder();
            for (var s = 0; s < syllables; s++)
            {
                word.Append(Onsets[random.NextInt(Onsets.Length)]).Append(Vowels[random.NextInt(Vowels.Length)]).Append(Codas[random.NextInt(Codas.Length)]);
            }

            if (seen.Add(word.ToString()))
            {
                words.Add(word.ToString());
            }
        }

        return [.. words.Select(Encoding.ASCII.GetBytes)];
    }

    private static double[] ZipfCumulativeWeights(int count)
    {
        var cumulative = new double[count];
        var sum = 0.0;
        for (var rank = 1; rank <= count; rank++)
        {
            sum += 1.0 / Math.Pow(rank, ZipfExponent);
            cumulative[rank - 1] = sum;
        }

        for (var i = 0; i < count; i++)
        {
            cumulative[i] /= sum;
        }

        return cumulative;
    }

    private static int SampleZipf(double[] cumulative, double uniform)
    {
        var index = Array.BinarySearch(cumulative, uniform);
        return Math.Min(index >= 0 ? index : ~index, cumulative.Length - 1);
    }
}
