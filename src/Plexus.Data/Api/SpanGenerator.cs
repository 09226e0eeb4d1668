namespace Plexus.Data;

/// <summary>
/// Fills <paramref name="rows"/> with the rows whose indexes start at <paramref name="firstRow"/>.
/// It must give the same rows for the same indexes every time: a lost block is made again by calling it again.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
/// <param name="firstRow">The index of <c>rows[0]</c> in the whole dataset.</param>
/// <param name="rows">The rows to fill.</param>
public delegate void SpanGenerator<T>(long firstRow, Span<T> rows);
