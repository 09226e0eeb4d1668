namespace Plexus.Data.Sources;

/// <summary>
/// Takes the lines of a text split as UTF-8 bytes, without a string per line: a struct
/// implementing it is called directly (no interface dispatch), which is what word counting over
/// gigabytes of text needs.
/// </summary>
internal interface IUtf8LineConsumer
{
    /// <summary>Takes one line, without its line ending; the span is valid only during the call.</summary>
    void OnLine(ReadOnlySpan<byte> line);
}

/// <summary>A callback that takes one UTF-8 line; the span is valid only during the call.</summary>
internal delegate void Utf8LineAction(ReadOnlySpan<byte> line);
