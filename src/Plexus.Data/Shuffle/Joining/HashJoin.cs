using Plexus.Data.Operators;

namespace Plexus.Data.Shuffle;

/// <summary>
/// Joins one partition of two hash-partitioned sides: builds a <see cref="JoinTable{TRow, TKey}"/>
/// over one side and probes it with the other, passing each match to the result selector.
/// </summary>
/// <typeparam name="TLeft">The left side's row type.</typeparam>
/// <typeparam name="TRight">The right side's row type.</typeparam>
/// <typeparam name="TKey">The key type; rows with a null key match nothing (a left outer join keeps them unmatched).</typeparam>
/// <typeparam name="TOut">The result row type.</typeparam>
/// <remarks>
/// The output order is deterministic. Building on the right: left rows in order, each followed by
/// its matches in right order. Building on the left: right rows in order, each with its matches in
/// left order, then (left outer) the unmatched left rows in order. Duplicate keys on both sides give
/// every pair, so a key on half the rows of both sides gives a quadratic output, as a join must.
/// </remarks>
/// <example>
/// <code>
/// var join = new HashJoin&lt;Order, Customer, int, (Order, Customer?)&gt;(o =&gt; o.CustomerId, c =&gt; c.Id, (o, c) =&gt; (o, c), JoinKind.LeftOuter);
/// join.Join(orderRuns, customerRuns, JoinSide.Right, sink);
/// </code>
/// </example>
internal sealed class HashJoin<TLeft, TRight, TKey, TOut>
    where TKey : notnull
{
    private readonly Func<TLeft, TKey> _leftKeyOf;
    private readonly Func<TRight, TKey> _rightKeyOf;
    private readonly Func<TLeft, TRight?, TOut> _resultOf;
    private readonly JoinKind _kind;

    /// <param name="leftKeyOf">The left row's key.</param>
    /// <param name="rightKeyOf">The right row's key.</param>
    /// <param name="resultOf">The output of a match; for an unmatched left row (left outer), the right row is <c>default</c>.</param>
    /// <param name="kind">Inner or left outer.</param>
    public HashJoin(Func<TLeft, TKey> leftKeyOf, Func<TRight, TKey> rightKeyOf, Func<TLeft, TRight?, TOut> resultOf, JoinKind kind)
    {
        ArgumentNullException.ThrowIfNull(leftKeyOf);
        ArgumentNullException.ThrowIfNull(rightKeyOf);
        ArgumentNullException.ThrowIfNull(resultOf);
        _leftKeyOf = leftKeyOf;
        _rightKeyOf = rightKeyOf;
        _resultOf = resultOf;
        _kind = kind;
    }

    /// <summary>Joins the runs of both sides (each side's runs in map order) into <paramref name="sink"/>, in batches.</summary>
    public void Join(
        ReadOnlySpan<ReadOnlyMemory<TLeft>> leftRuns, ReadOnlySpan<ReadOnlyMemory<TRight>> rightRuns, JoinSide buildSide, IBatchSink<TOut> sink)
    {
        var output = new BatchWriter<TOut>(sink);
        if (buildSide == JoinSide.Right)
        {
            var rights = new JoinTable<TRight, TKey>(rightRuns, _rightKeyOf);
            foreach (var run in leftRuns)
            {
                ProbeWithLeft(run.Span, rights, output);
            }
        }
        else
        {
            ProbeWithRight(new JoinTable<TLeft, TKey>(leftRuns, _leftKeyOf), rightRuns, output);
        }

        output.Flush();
    }

    /// <summary>
    /// Joins <paramref name="lefts"/> with a table built on the right side: each left row, in order,
    /// followed by its matches in right order (or, left outer, by the right row's default when none).
    /// A broadcast join calls it per batch of a block with one table for the whole block.
    /// </summary>
    public void ProbeWithLeft(ReadOnlySpan<TLeft> lefts, JoinTable<TRight, TKey> rights, BatchWriter<TOut> output)
    {
        foreach (var left in lefts)
        {
            var match = rights.FirstOf(_leftKeyOf(left));
            if (match == JoinTable<TRight, TKey>.End && _kind == JoinKind.LeftOuter)
            {
                output.Add(_resultOf(left, default));
            }

            for (; match != JoinTable<TRight, TKey>.End; match = rights.NextAfter(match))
            {
                output.Add(_resultOf(left, rights.Rows[match]));
            }
        }
    }

    private void ProbeWithRight(JoinTable<TLeft, TKey> lefts, ReadOnlySpan<ReadOnlyMemory<TRight>> rightRuns, BatchWriter<TOut> output)
    {
        // Which left rows found a match; only a left outer join reads it.
        var matched = _kind == JoinKind.LeftOuter ? new bool[lefts.Rows.Length] : null;
        foreach (var run in rightRuns)
        {
            foreach (var right in run.Span)
            {
                for (var match = lefts.FirstOf(_rightKeyOf(right)); match != JoinTable<TLeft, TKey>.End; match = lefts.NextAfter(match))
                {
                    output.Add(_resultOf(lefts.Rows[match], right));
                    matched?[match] = true;
                }
            }
        }

        if (matched is null)
        {
            return;
        }

        for (var i = 0; i < matched.Length; i++)
        {
            if (!matched[i])
            {
                output.Add(_resultOf(lefts.Rows[i], default));
            }
        }
    }
}
