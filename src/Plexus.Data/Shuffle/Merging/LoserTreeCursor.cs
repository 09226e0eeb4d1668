namespace Plexus.Data.Shuffle;

/// <summary>
/// A k-way merge by a tournament tree of losers: each internal node holds the run that lost the
/// match there, and the root's winner is the next row. Taking a row replays only the path from its
/// run's leaf to the root, so each row costs ⌈log2 k⌉ comparisons, most of them one compare of
/// two 8-byte prefixes.
/// </summary>
/// <remarks>
/// Leaf of run r is node k + r, the parent of node n is n / 2, and node 0 holds the overall winner.
/// A run that is used up loses to every run, and a tie goes to the lower run index: runs from the
/// same map order stay in order, and the result is deterministic.
/// </remarks>
internal sealed class LoserTreeCursor<T, TKey, TOrder> : MergeCursor<T>
    where TOrder : struct, IKeyOrder<TKey>
{
    private readonly ReadOnlyMemory<T>[] _runs;
    private readonly Func<T, TKey> _keyOf;
    private readonly TOrder _order;

    // _tree[0] is the current winner's run; _tree[1..k-1] the loser run at each internal node.
    private readonly int[] _tree;

    // Per run: the position of its head row, and that row's key and prefix (stale once the run is used up).
    private readonly int[] _positions;
    private readonly TKey[] _heads;
    private readonly ulong[] _prefixes;

    private long _remainingRows;

    public LoserTreeCursor(ReadOnlyMemory<T>[] runs, Func<T, TKey> keyOf, TOrder order)
    {
        _runs = runs;
        _keyOf = keyOf;
        _order = order;
        _tree = new int[Math.Max(runs.Length, 1)];
        _positions = new int[runs.Length];
        _heads = new TKey[runs.Length];
        _prefixes = new ulong[runs.Length];
        for (var r = 0; r < runs.Length; r++)
        {
            _remainingRows += runs[r].Length;
            LoadHead(r, runs[r].Span);
        }

        Array.Fill(_tree, -1);
        for (var r = 0; r < runs.Length; r++)
        {
            Insert(r);
        }
    }

    public override long RemainingRows => _remainingRows;

    public override int Fill(Span<T> output)
    {
        var count = (int)Math.Min(output.Length, _remainingRows);
        var k = _runs.Length;
        for (var i = 0; i < count; i++)
        {
            var winner = _tree[0];
            var rows = _runs[winner].Span;
            output[i] = rows[_positions[winner]++];
            LoadHead(winner, rows);
            for (var node = (k + winner) >> 1; node > 0; node >>= 1)
            {
                if (Beats(_tree[node], winner))
                {
                    (_tree[node], winner) = (winner, _tree[node]);
                }
            }

            _tree[0] = winner;
        }

        _remainingRows -= count;
        return count;
    }

    /// <summary>Plays a run into the initial tree: it parks at the first empty node on its way up, or wins.</summary>
    private void Insert(int run)
    {
        var winner = run;
        for (var node = (_runs.Length + run) >> 1; node > 0; node >>= 1)
        {
            if (_tree[node] < 0)
            {
                _tree[node] = winner;
                return;
            }

            if (Beats(_tree[node], winner))
            {
                (_tree[node], winner) = (winner, _tree[node]);
            }
        }

        _tree[0] = winner;
    }

    /// <summary>Reads the key of run <paramref name="run"/>'s head row, if it has one; <paramref name="rows"/> is the run's span, found once per row taken.</summary>
    private void LoadHead(int run, ReadOnlySpan<T> rows)
    {
        if (_positions[run] < rows.Length)
        {
            var key = _keyOf(rows[_positions[run]]);
            _heads[run] = key;
            _prefixes[run] = _order.PrefixOf(key);
        }
    }

    /// <summary>True when run <paramref name="a"/>'s head comes before run <paramref name="b"/>'s.</summary>
    private bool Beats(int a, int b)
    {
        var aUsedUp = _positions[a] == _runs[a].Length;
        var bUsedUp = _positions[b] == _runs[b].Length;
        if (aUsedUp || bUsedUp)
        {
            return !aUsedUp || (bUsedUp && a < b);
        }

        if (_prefixes[a] != _prefixes[b])
        {
            return _prefixes[a] < _prefixes[b];
        }

        var byKey = _order.Compare(_heads[a], _heads[b]);
        return byKey < 0 || (byKey == 0 && a < b);
    }
}
