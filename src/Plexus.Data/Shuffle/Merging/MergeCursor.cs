namespace Plexus.Data.Shuffle;

/// <summary>An open merge, pulled a span at a time, so a reduce can stream its output.</summary>
/// <typeparam name="T">The row type.</typeparam>
internal abstract class MergeCursor<T>
{
    /// <summary>The rows not yet written by <see cref="Fill"/>.</summary>
    public abstract long RemainingRows { get; }

    /// <summary>Writes the next rows in order into <paramref name="output"/>; returns how many, 0 once all are written.</summary>
    public abstract int Fill(Span<T> output);
}
