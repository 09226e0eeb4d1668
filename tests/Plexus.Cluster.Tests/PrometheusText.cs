using System.Globalization;
using System.Text;

namespace Plexus.Cluster.Tests;

/// <summary>One sample of a scrape: a metric name, its labels and its value.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// Parses Prometheus's text exposition format (version 0.0.4): comment lines (<c># HELP</c>,
/// <c># TYPE</c>) are skipped, every other line is <c>name{label="value",...} value [timestamp]</c>,
/// label values escaped with <c>\\</c>, <c>\"</c> and <c>\n</c>. A line that is none of these
/// throws <see cref="FormatException"/> naming it: a malformed scrape is a failure, not a sample less.
/// </summary>
internal sealed class PrometheusText
{
    private PrometheusText(IReadOnlyList<PrometheusSample> samples) => Samples = samples;

    public IReadOnlyList<PrometheusSample> Samples { get; }

    public static PrometheusText Parse(string text) =>
        new([.. text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(ParseLine)]);

    /// <summary>The samples named <paramref name="name"/> whose labels include every one of <paramref name="labels"/> (<c>"state=running"</c>).</summary>
    public IEnumerable<PrometheusSample> Named(string name, params string[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => l.Split('=', 2) is [var key, var value] && s.Labels.GetValueOrDefault(key) == value));

    /// <summary>The value of the one sample <see cref="Named"/> picks; fails naming the metric when there is not exactly one.</summary>
    public double Value(string name, params string[] labels)
    {
        var matches = Named(name, labels).ToList();
        Assert.True(matches.Count == 1, $"{matches.Count} samples of {name}{{{string.Join(',', labels)}}} in the scrape, 1 expected");
        return matches[0].Value;
    }

    private static PrometheusSample ParseLine(string line)
    {
        var nameEnd = line.IndexOfAny(['{', ' ']);
        if (nameEnd <= 0)
        {
            throw new FormatException($"Not a sample line: '{line}'.");
        }

        var labels = new Dictionary<string, string>();
        var at = nameEnd;
        if (line[at] == '{')
        {
            at = ParseLabels(line, at + 1, labels);
        }

        var fields = line[at..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is < 1 or > 2 || !TryParseValue(fields[0], out var value))
        {
            throw new FormatException($"No value in sample line '{line}'.");
        }

        return new PrometheusSample(line[..nameEnd], labels, value);
    }

    // Reads label="value" pairs up to the closing brace; returns the index after it.
    private static int ParseLabels(string line, int at, Dictionary<string, string> labels)
    {
        while (at < line.Length && line[at] != '}')
        {
            var equals = line.IndexOf('=', at);
            if (equals < 0 || equals + 1 >= line.Length || line[equals + 1] != '"')
            {
                throw new FormatException($"Malformed label in '{line}'.");
            }

            var value = new StringBuilder();
            var i = equals + 2;
            for (; i < line.Length && line[i] != '"'; i++)
            {
                if (line[i] == '\\' && i + 1 < line.Length)
                {
                    i++;
                    value.Append(line[i] == 'n' ? '\n' : line[i]);
                }
                else
                {
                    value.Append(line[i]);
                }
            }

            if (i >= line.Length)
            {
                throw new FormatException($"Unterminated label value in '{line}'.");
            }

            labels[line[at..equals].Trim()] = value.ToString();
            at = i + 1;
            if (at < line.Length && line[at] == ',')
            {
                at++;
            }
        }

        return at < line.Length ? at + 1 : throw new FormatException($"Unterminated labels in '{line}'.");
    }

    private static bool TryParseValue(string text, out double value) => text switch
    {
        "+Inf" => (value = double.PositiveInfinity) is var _,
        "-Inf" => (value = double.NegativeInfinity) is var _,
        "NaN" => (value = double.NaN) is var _,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value),
    };
}
