namespace Plexus.Data.Operators;

/// <summary>
/// A sink that can size its buffers once when told how many rows are coming: a block builder or a
/// map's row collector then writes rows where they stay, instead of into chunks or a doubling
/// array that are copied again (and whose fresh pages the kernel must zero).
/// </summary>
internal interface ISizedSink
{
    /// <summary>
    /// Says that about <paramref name="rows"/> rows follow, before the first is pushed. A hint:
    /// more or fewer rows still work, at the cost of a copy.
    /// </summary>
    void ExpectRows(long rows);
}

/// <summary>Tells a sink how many rows its source will push, when the sink can use it.</summary>
internal static class SinkSizing
{
    /// <summary>
    /// Passes <paramref name="rows"/> to <paramref name="sink"/> when it is an <see cref="ISizedSink"/>:
    /// only sources whose rows reach the sink one for one (no operator in between) get there.
    /// </summary>
    public static void Expect(object sink, long rows) => (sink as ISizedSink)?.ExpectRows(rows);
}
