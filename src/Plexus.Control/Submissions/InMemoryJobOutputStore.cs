namespace Plexus.Control.Submissions;

/// <summary>
/// Submissions' output in memory, the most recent <see cref="JobOutputStore.Limit"/> bytes of each:
/// what a service with memory storage keeps (gone when it restarts, as its tables are).
/// </summary>
internal sealed class InMemoryJobOutputStore(long limit) : JobOutputStore(limit)
{
    // Each submission's kept bytes and where they start. Under the base class's lock.
    private readonly Dictionary<string, Tail> _tails = new(StringComparer.Ordinal);

    public override void Dispose() => _tails.Clear();

    protected override (long Start, long End) Extent(string submissionId) =>
        _tails.TryGetValue(submissionId, out var tail) ? (tail.Start, tail.Start + tail.Bytes.Count) : (0, 0);

    protected override void Write(string submissionId, ReadOnlySpan<byte> data)
    {
        if (!_tails.TryGetValue(submissionId, out var tail))
        {
            _tails[submissionId] = tail = new Tail();
        }

        tail.Bytes.AddRange(data);
    }

    protected override void DropBefore(string submissionId, long newStart)
    {
        var tail = _tails[submissionId];
        tail.Bytes.RemoveRange(0, (int)(newStart - tail.Start));
        tail.Start = newStart;
    }

    protected override byte[] ReadKept(string submissionId, long keptOffset, int count) =>
        _tails[submissionId].Bytes.GetRange((int)keptOffset, count).ToArray();

    protected override void Remove(string submissionId) => _tails.Remove(submissionId);

    private sealed class Tail
    {
        /// <summary>The offset of <see cref="Bytes"/>[0] in the whole output.</summary>
        public long Start { get; set; }

        public List<byte> Bytes { get; } = [];
    }
}
