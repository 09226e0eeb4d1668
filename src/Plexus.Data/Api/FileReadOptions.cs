namespace Plexus.Data;

/// <summary>How a file source finds and reads its files.</summary>
public sealed record FileReadOptions
{
    /// <summary>
    /// Whether every node sees the same files (<see cref="Locality.Shared"/>: the driver lists them and
    /// any node reads a split) or each node reads its own (<see cref="Locality.NodeLocal"/>: each node
    /// lists the path on its disk, and its splits are read there). Default: <see cref="Locality.Auto"/>,
    /// shared on one node or on network storage, node-local otherwise.
    /// </summary>
    public Locality Locality { get; init; } = Locality.Auto;

    /// <summary>For CSV: whether each file starts with a header naming the columns. Default: true.</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>For CSV: the field separator. Default: a comma.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>
    /// For CSV: whether a quoted field may hold line breaks (RFC 4180), so that a record may span lines.
    /// Default: true; each split's quotes are then counted first, by a small task over its own range, so
    /// that a split cut inside a quoted field finds where its records start. False says every record is
    /// one line, as most CSV files are: splits are cut at line breaks with no such count, and every line
    /// break ends a record, so a quoted field holding one is cut there and the line after it is read as a
    /// record of its own (most often a malformed one, which fails the run with a <see cref="DataFormatException"/>).
    /// </summary>
    public bool MultilineRecords { get; init; } = true;

    /// <summary>The options every source gets unless told otherwise.</summary>
    public static FileReadOptions Default { get; } = new();
}
