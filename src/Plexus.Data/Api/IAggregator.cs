namespace Plexus.Data;

/// <summary>
/// An aggregation of the rows of a group that can be computed in parts: each map task folds its rows
/// into partial accumulators (a map-side combine), and the reduce task merges the partials of a key
/// and finishes them into the result.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
/// <typeparam name="TAcc">
/// The accumulator: the partial state shuffled between tasks, so it must be serializable by the
/// library's codec (unmanaged structs, records, tuples and collections of those are).
/// </typeparam>
/// <typeparam name="TResult">The aggregate of a group.</typeparam>
/// <remarks>
/// Implementations need a public parameterless constructor: they travel to workers by type name.
/// The library calls them from one thread per task, and keeps no state between calls except the
/// accumulators. Partials are merged in map order, so a merge that is associative but not
/// commutative, or a floating-point sum, gives the same result on every run.
/// </remarks>
public interface IAggregator<in T, TAcc, out TResult>
{
    /// <summary>The accumulator of a group with no rows yet.</summary>
    TAcc Init();

    /// <summary>Folds one row into an accumulator and returns the new accumulator.</summary>
    /// <param name="accumulator">The group's accumulator so far, from <see cref="Init"/> or an earlier call.</param>
    /// <param name="row">The next row of the group, in the order of its block.</param>
    TAcc Add(TAcc accumulator, T row);

    /// <summary>Combines two partial accumulators of one group.</summary>
    /// <param name="earlier">The partial of the earlier rows (an earlier map task).</param>
    /// <param name="later">The partial of the later rows.</param>
    TAcc Merge(TAcc earlier, TAcc later);

    /// <summary>The group's result from its merged accumulator.</summary>
    TResult Finish(TAcc accumulator);
}
