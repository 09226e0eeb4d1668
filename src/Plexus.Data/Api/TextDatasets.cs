using Plexus.Data.Exchanges;

namespace Plexus.Data;

/// <summary>Operations on datasets of text lines.</summary>
public static class TextDatasets
{
    /// <summary>
    /// The number of times each token occurs in the lines, with the tokens found by
    /// <paramref name="tokenize"/> (a static method or lambda). The same result as
    /// <c>FlatMap</c> to token strings then <c>GroupBy(t => t).Count()</c>, but tokens are counted as
    /// spans where the lines are read, so no string is made per token, only per distinct token per task.
    /// </summary>
    /// <exception cref="CapturedStateException"><paramref name="tokenize"/> captures variables.</exception>
    public static Dataset<(string Key, long Count)> CountTokens(this Dataset<string> lines, SpanTokenizer tokenize)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return lines.Exchange<(string Key, long Count)>(new TokenCountExchange(lines.Context.Plexus.Function(tokenize)));
    }
}
