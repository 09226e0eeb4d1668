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

    /// <summary>The options every source gets unless told otherwise.</summary>
    public static FileReadOptions Default { get; } = new();
}
