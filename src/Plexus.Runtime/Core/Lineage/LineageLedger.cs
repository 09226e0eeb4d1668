namespace Plexus.Core.Lineage;

/// <summary>
/// The lineage records one owner keeps, oldest first, within a budget of bytes
/// (<c>PlexusOptions.MaxLineageBytes</c>): a record that takes the total past it evicts the
/// oldest records (itself too, if it alone is larger). Guarded by the reference table's lock.
/// </summary>
internal sealed class LineageLedger(long maxBytes)
{
    /// <summary>The budget: records are evicted, oldest first, while they take more.</summary>
    public long MaxBytes { get; set; } = maxBytes;

    private readonly LinkedList<LineageRecord> _records = new();

    /// <summary>The bytes of every record kept.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>How many records are kept.</summary>
    public int Count => _records.Count;

    /// <summary>Keeps <paramref name="record"/>; adds the records evicted to make room to <paramref name="evicted"/>, each marked evicted and no longer kept.</summary>
    public void Add(LineageRecord record, List<LineageRecord> evicted)
    {
        record.Place = _records.AddLast(record);
        TotalBytes += record.Bytes;
        while (TotalBytes > MaxBytes && _records.First is { Value: var oldest })
        {
            Remove(oldest);
            oldest.Evicted = true;
            evicted.Add(oldest);
        }
    }

    /// <summary>Stops keeping a record (its returns were freed, or it was evicted).</summary>
    public void Remove(LineageRecord record)
    {
        if (record.Place is { } place)
        {
            _records.Remove(place);
            record.Place = null;
            TotalBytes -= record.Bytes;
        }
    }
}
