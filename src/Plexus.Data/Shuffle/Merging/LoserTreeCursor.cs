namespace Plexus.Data.Shuffle;

/// <summary>
/// A k-way merge by a tournament tree of losers: each internal node holds the run that lost the
/// match there, and the root's winner is the next row. Taking a row replays only the path from its
/// run's leaf to the root, so each row costs ⌈log2 k⌉ comparisons, most of them one compare of
/// two 8-byte prefixes.
/// </summary>
/// <remarks>
/// Leaf of run r is node k + r, the parent of node n is n / 2, and node 0 holds the overall winner.
/// A node keeps its loser's head prefix beside the run's index (a loser's head does not change
/// while it sits in the tree), so a replay reads one entry per level and compares it with the
/// winner's prefix, looking at keys only when prefixes are equal. A used-up run's prefix is the
/// largest there is, and on a tie it loses to every run; a tie of keys goes to the lower run index:
/// runs from the same map order stay in order, and the result is deterministic.
/// </remarks>
internal sealed class LoserTreeCursor<T, TKey, TOrder> : MergeCursor<T>
    where TOrder : struct, IKeyOrder<TKey>
{
    private readonly ReadOnlyMemory<T>[] _runs;
    private readonly Func<T, TKey> _keyOf;
    private readonly TOrder _order;

    // _tree[0].Run is the current winner; _tree[1..k-1] the loser at each internal node, with its head's prefix.
    private readonly Node[] _tree;

    // Per run: the position of its head row, and that row's key (stale once the run is used up).
    private readonly int[] _positions;
    private readonly TKey[] _heads;

    private long _remainingRows;

    public LoserTreeCursor(ReadOnlyMemory<T>[] runs, Func<T, TKey> keyOf, TOrder order)
    {
        _runs = runs;
        _keyOf = keyOf;
        _order = order;
        _tree = new Node[Math.Max(runs.Length, 1)];
        _positions = new int[runs.Length];
        _heads = new TKey[runs.Length];
        var prefixes = new ulong[runs.Length];
        for (var r = 0; r < runs.Length; r++)
        {
            _remainingRows += runs[r].Length;
            prefixes[r] = LoadHead(r, runs[r].Span);
        }

        _tree.AsSpan().Fill(new Node(0, -1));
        for (var r = 0; r < runs.Length; r++)
        {
            Insert(r, prefixes[r]);
        }
    }

    public override long RemainingRows => _remainingRows;

    public override int Fill(Span<T> output)
    {
        var count = (int)Math.Min(output.Length, _remainingRows);
        var k = _runs.Length;
        var tree = _tree;
        for (var i = 0; i < count; i++)
        {
            var winner = tree[0].Run;
            var rows = _runs[winner].Span;
            output[i] = rows[_positions[winner]++];
            var prefix = LoadHead(winner, rows);
            for (var node = (k + winner) >> 1; node > 0; node >>= 1)
            {
                ref var loser = ref tree[node];
                if (loser.Prefix < prefix || (loser.Prefix == prefix && BeatsOnEqualPrefix(loser.Run, winner)))
                {
                    (loser.Run, winner) = (winner, loser.Run);
                    (loser.Prefix, prefix) = (prefix, loser.Prefix);
                }
            }

            tree[0].Run = winner;
        }

        _remainingRows -= count;
        return count;
    }

    /// <summary>Plays a run into the initial tree: it parks at the first empty node on its way up, or wins.</summary>
    private void Insert(int run, ulong prefix)
    {
        var winner = run;
        for (var node = (_runs.Length + run) >> 1; node > 0; node >>= 1)
        {
            ref var loser = ref _tree[node];
            if (loser.Run < 0)
            {
                loser = new Node(prefix, winner);
                return;
            }

            if (loser.Prefix < prefix || (loser.Prefix == prefix && BeatsOnEqualPrefix(loser.Run, winner)))
            {
                (loser.Run, winner) = (winner, loser.Run);
                (loser.Prefix, prefix) = (prefix, loser.Prefix);
            }
        }

        _tree[0].Run = winner;
    }

    /// <summary>Reads the key of run <paramref name="run"/>'s head row; returns its prefix, the largest when the run is used up.</summary>
    private ulong LoadHead(int run, ReadOnlySpan<T> rows)
    {
        if (_positions[run] >= rows.Length)
        {
            return ulong.MaxValue;
        }

        var key = _keyOf(rows[_positions[run]]);
        _heads[run] = key;
        return _order.PrefixOf(key);
    }

    /// <summary>True when run <paramref name="a"/>'s head comes before run <paramref name="b"/>'s, their prefixes being equal.</summary>
    private bool BeatsOnEqualPrefix(int a, int b)
    {
        var aUsedUp = _positions[a] == _runs[a].Length;
        var bUsedUp = _positions[b] == _runs[b].Length;
        if (aUsedUp || bUsedUp)
        {
            return !aUsedUp || (bUsedUp && a < b);
        }

        var byKey = _order.Compare(_heads[a], _heads[b]);
        return byKey < 0 || (byKey == 0 && a < b);
    }

    /// <summary>An internal node: the run that lost there, and the prefix of its head.</summary>
    private struct Node(ulong prefix, int run)
    {
        public ulong Prefix = prefix;
        public int Run = run;
    }
}
