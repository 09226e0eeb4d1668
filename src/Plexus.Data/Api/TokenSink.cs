using Plexus.Data.Shuffle;

namespace Plexus.Data;

/// <summary>
/// Splits one line into tokens for <see cref="TextDatasets.CountTokens"/>: call
/// <see cref="TokenSink.Add"/> for each token, as a span (of the line, or of a buffer of your own).
/// </summary>
/// <param name="line">The line, without its line break.</param>
/// <param name="tokens">Where the tokens go.</param>
public delegate void SpanTokenizer(ReadOnlySpan<char> line, TokenSink tokens);

/// <summary>Counts the tokens a <see cref="SpanTokenizer"/> finds; a token is copied only the first time it is seen.</summary>
public readonly ref struct TokenSink
{
    private readonly TokenCounter counter;

    internal TokenSink(TokenCounter counter) => this.counter = counter;

    /// <summary>Counts one occurrence of <paramref name="token"/>; the span is read during the call only.</summary>
    public void Add(ReadOnlySpan<char> token) => counter.Add(token);
}
