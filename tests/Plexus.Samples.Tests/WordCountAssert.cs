using System.Globalization;

namespace Plexus.Samples.Tests;

/// <summary>Comparisons of word counts that say which words differ.</summary>
internal static class WordCountAssert
{
    public static void SameCounts(IReadOnlyDictionary<string, long> expected, IReadOnlyDictionary<string, long> actual)
    {
        var differences = expected
            .Where(e => !actual.TryGetValue(e.Key, out var count) || count != e.Value)
            .Select(e => $"'{e.Key}': expected {e.Value}, got {(actual.TryGetValue(e.Key, out var count) ? count : "nothing")}")
            .Concat(actual.Where(a => !expected.ContainsKey(a.Key)).Select(a => $"'{a.Key}': expected nothing, got {a.Value}"))
            .ToList();
        Assert.True(differences.Count == 0,
            $"{differences.Count} word(s) differ (expected {expected.Count} distinct words, got {actual.Count}):\n" + string.Join('\n', differences.Take(20)));
    }

    /// <summary>Reads a <c>--output</c> file, checking that it is <c>word&lt;TAB&gt;count</c> lines sorted by word.</summary>
    public static Dictionary<string, long> ReadTsv(string path)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        string? previous = null;
        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split('\t');
            Assert.True(fields.Length == 2, $"Line '{line}' is not 'word<TAB>count'.");
            Assert.True(previous is null || string.CompareOrdinal(previous, fields[0]) < 0, $"'{fields[0]}' comes after '{previous}': not sorted by word.");
            counts.Add(fields[0], long.Parse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture));
            previous = fields[0];
        }

        return counts;
    }
}
