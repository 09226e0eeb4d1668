namespace Plexus.Samples.Sort;

/// <summary>
/// Checks sorted output as valsort does: fed the records in their order, batch by batch, it checks
/// that keys never decrease, counts records and duplicate keys, and sums the checksum to compare
/// with the generator's. One validator reads one ordered stream; streams validated apart combine
/// with <see cref="SortValidation.Then"/>.
/// </summary>
internal sealed class SortValidator
{
    // The checksum of every record added so far; its Records is the position of the next record.
    private RecordChecksum _checksum;
    // The first record's key, and the last one's (the key the next batch's first record follows).
    private GensortKey? _firstKey;
    private GensortKey _lastKey;
    // The position of the first record smaller than the one before it, once one is seen.
    private long? _firstUnordered;
    // Records whose key equals the one before.
    private long _duplicates;

    /// <summary>What the records added so far show.</summary>
    public SortValidation Result => new(_checksum, _firstUnordered, _duplicates, _firstKey, _firstKey is null ? null : _lastKey);

    /// <summary>Adds the next records, in the order they were written.</summary>
    public void Add(ReadOnlySpan<GensortRecord> rows)
    {
        if (rows.IsEmpty)
        {
            return;
        }

        var start = 0;
        if (_firstKey is null)
        {
            // The very first record has no record before it to be compared with.
            _firstKey = _lastKey = rows[0].Key;
            start = 1;
        }

        var position = _checksum.Records;
        var previous = _lastKey;
        for (var i = start; i < rows.Length; i++)
        {
            var key = rows[i].Key;
            var order = previous.CompareTo(key);
            if (order > 0)
            {
                _firstUnordered ??= position + i;
            }
            else if (order == 0)
            {
                _duplicates++;
            }

            previous = key;
        }

        _lastKey = previous;
        _checksum += RecordChecksum.Of(rows);
    }

    /// <summary>Validates the records of <paramref name="files"/>, read one after another in the order given.</summary>
    /// <exception cref="GensortFormatException">A file is not a whole number of records.</exception>
    /// <exception cref="IOException">A file could not be read.</exception>
    public static SortValidation ValidateFiles(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var validator = new SortValidator();
        foreach (var file in files)
        {
            foreach (var batch in GensortFiles.Read(file, cancellationToken))
            {
                validator.Add(batch.Span);
            }
        }

        return validator.Result;
    }
}
