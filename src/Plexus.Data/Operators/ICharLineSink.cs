namespace Plexus.Data.Operators;

/// <summary>
/// A sink of text lines that can take each line as characters, so a text source gives it lines
/// decoded into one reused buffer instead of a string per line (the word count's map side).
/// </summary>
internal interface ICharLineSink
{
    /// <summary>Takes one line; the span is valid only during the call.</summary>
    void PushLine(ReadOnlySpan<char> line);
}
