namespace Plexus.Data.Sources;

/// <summary>What a split's <see cref="SourceSplit.Start"/> and <see cref="SourceSplit.End"/> count.</summary>
internal enum SplitUnit
{
    /// <summary>Byte offsets in the file (text, CSV, fixed-size records, a whole compressed file).</summary>
    Bytes = 0,

    /// <summary>Parquet row-group indexes.</summary>
    RowGroups = 1,
}
