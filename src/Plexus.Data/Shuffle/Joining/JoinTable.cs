using System.Runtime.InteropServices;

namespace Plexus.Data.Shuffle;

/// <summary>
/// A multi-map from key to the build side's rows with that key, in input order: one dictionary
/// entry per distinct key pointing at its first row, and a chain of row positions through
/// <c>_next</c>, so duplicate keys cost an int per row rather than a list per key.
/// </summary>
/// <typeparam name="TRow">The build side's row type.</typeparam>
/// <typeparam name="TKey">The key type. Null keys match nothing, and are left out.</typeparam>
internal sealed class JoinTable<TRow, TKey>
    where TKey : notnull
{
    /// <summary>What <see cref="FirstOf"/> and <see cref="NextAfter"/> return after the last match.</summary>
    public const int End = -1;

    // The first row position of each key.
    private readonly Dictionary<TKey, int> _first = [];

    // The next row position with the same key as row i, or End.
    private readonly int[] _next;

    public JoinTable(ReadOnlySpan<ReadOnlyMemory<TRow>> runs, Func<TRow, TKey> keyOf)
    {
        var total = 0;
        foreach (var run in runs)
        {
            total += run.Length;
        }

        // The runs are copied into one array: the smaller side is built, and positions become plain ints.
        Rows = GC.AllocateUninitializedArray<TRow>(total);
        var offset = 0;
        foreach (var run in runs)
        {
            run.Span.CopyTo(Rows.AsSpan(offset));
            offset += run.Length;
        }

        _next = GC.AllocateUninitializedArray<int>(total);
        // Walking backwards and prepending leaves each chain in input order.
        for (var i = total - 1; i >= 0; i--)
        {
            var key = keyOf(Rows[i]);
            if (key is null)
            {
                continue;
            }

            ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(_first, key, out var exists);
            _next[i] = exists ? first : End;
            first = i;
        }
    }

    /// <summary>The build side's rows, in input order.</summary>
    public TRow[] Rows { get; }

    /// <summary>The position of the first row with <paramref name="key"/>, or <see cref="End"/>.</summary>
    public int FirstOf(TKey? key) => key is not null && _first.TryGetValue(key, out var first) ? first : End;

    /// <summary>The position of the next row with the same key as row <paramref name="position"/>, or <see cref="End"/>.</summary>
    public int NextAfter(int position) => _next[position];
}
