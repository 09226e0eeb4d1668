namespace Plexus.Samples.Sort;

/// <summary>
/// What <see cref="SortValidator"/> found in a run of records read in order: their checksum, the
/// first record out of order, and how many records have the same key as the one before.
/// </summary>
/// <param name="Checksum">The records' checksum, to compare with the input's.</param>
/// <param name="FirstUnorderedRecord">
/// The position (from 0) of the first record whose key is smaller than the one before it, or
/// <see langword="null"/> when the records are in order.
/// </param>
/// <param name="DuplicateKeys">How many records have the same key as the record before them.</param>
/// <param name="FirstKey">The first record's key; <see langword="null"/> when there are no records.</param>
/// <param name="LastKey">The last record's key; <see langword="null"/> when there are no records.</param>
internal sealed record SortValidation(
    RecordChecksum Checksum,
    long? FirstUnorderedRecord,
    long DuplicateKeys,
    GensortKey? FirstKey,
    GensortKey? LastKey)
{
    /// <summary>The validation of no records.</summary>
    public static SortValidation Empty { get; } = new(default, null, 0, null, null);

    /// <summary>Whether every record's key is at least the one before it.</summary>
    public bool IsSorted => FirstUnorderedRecord is null;

    /// <summary>
    /// The validation of these records followed by <paramref name="next"/>'s, as if one validator
    /// had read both: so parts validated apart (one per file or block) combine in order, the way
    /// valsort combines its summary files.
    /// </summary>
    public SortValidation Then(SortValidation next)
    {
        var records = Checksum.Records;
        var boundary = LastKey is { } last && next.FirstKey is { } first ? last.CompareTo(first) : -1;
        var firstUnordered = FirstUnorderedRecord
            ?? (boundary > 0 ? records : (long?)null)
            ?? (records + next.FirstUnorderedRecord);
        return new SortValidation(
            Checksum + next.Checksum,
            firstUnordered,
            DuplicateKeys + next.DuplicateKeys + (boundary == 0 ? 1 : 0),
            FirstKey ?? next.FirstKey,
            next.LastKey ?? LastKey);
    }
}
