namespace Plexus.Data;

/// <summary>How a dataset is written to files.</summary>
public sealed record WriteOptions
{
    /// <summary>What to do when the directory already holds data. Default: <see cref="WriteMode.ErrorIfExists"/>.</summary>
    public WriteMode Mode { get; init; } = WriteMode.ErrorIfExists;

    /// <summary>
    /// Whether every node sees the directory (<see cref="Locality.Shared"/>: the driver commits) or
    /// each node writes its blocks to its own disk (<see cref="Locality.NodeLocal"/>: each node commits
    /// its files and writes its own <c>_SUCCESS</c>). Default: <see cref="Locality.Auto"/>.
    /// </summary>
    public Locality Locality { get; init; } = Locality.Auto;

    /// <summary>The options every write gets unless told otherwise.</summary>
    public static WriteOptions Default { get; } = new();
}
