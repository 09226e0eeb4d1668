using Plexus.Data.Operators;
using Plexus.Data.Shuffle;

namespace Plexus.Data.Exchanges;

/// <summary>
/// A sort's sample task's sink: the keys <see cref="KeySampler.Sample"/> would take from the block.
/// Told the block's row count first (<see cref="ExpectRows"/>), it takes them as the rows stream past
/// and keeps no rows; otherwise it keeps every row and samples at the end.
/// </summary>
internal sealed class KeySampleSink<T, TKey>(Func<T, TKey> keyOf, int count, long blockIndex) : IBatchSink<T>, ISizedSink
{
    // Rows kept to sample at the end, when no row count came first; null while sampling as rows pass.
    private RowCollector<T>? _rows = new();

    // Streaming: the rows expected, the keys taken so far, and the rows seen.
    private readonly List<SampledKey<TKey>> _taken = [];
    private long _expectedRows;
    private long _seenRows;

    public void ExpectRows(long rows)
    {
        if (_rows is { Count: 0 })
        {
            _rows = null;
            _expectedRows = rows;
        }
    }

    public void Push(ReadOnlySpan<T> rows)
    {
        if (_rows is not null)
        {
            _rows.Push(rows);
            return;
        }

        var samples = Math.Min(count, _expectedRows);
        while (_taken.Count < samples)
        {
            // The same row as KeySampler.Sample takes: the middle of the s-th of equal slices.
            var row = (((2L * _taken.Count) + 1) * _expectedRows) / (2L * samples);
            if (row >= _seenRows + rows.Length)
            {
                break;
            }

            _taken.Add(new SampledKey<TKey>(keyOf(rows[(int)(row - _seenRows)]), RowTiebreak.Of(blockIndex, row)));
        }

        _seenRows += rows.Length;
    }

    /// <summary>The sampled keys, with their rows' tiebreaks.</summary>
    /// <exception cref="InvalidOperationException">Streaming, and the rows pushed were not the rows announced.</exception>
    public SampledKey<TKey>[] Samples()
    {
        if (_rows is not null)
        {
            return KeySampler.Sample(_rows.Rows, keyOf, count, blockIndex);
        }

        if (_seenRows != _expectedRows)
        {
            throw new InvalidOperationException($"The sample's source announced {_expectedRows} rows but pushed {_seenRows}; samples spaced for the announced count would not be the block's.");
        }

        return [.. _taken];
    }
}
