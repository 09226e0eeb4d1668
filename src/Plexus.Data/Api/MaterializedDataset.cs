namespace Plexus.Data;

/// <summary>
/// A dataset run once and kept: its blocks stay in the object store (spilled to disk if the store
/// fills), and <see cref="Dataset"/> reads them without running the plan again. Dispose it to free them.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
public sealed class MaterializedDataset<T> : IDisposable
{
    private readonly IReadOnlyList<ObjectRef<byte[]>> blocks;

    internal MaterializedDataset(Dataset<T> dataset, IReadOnlyList<ObjectRef<byte[]>> blocks, long rows, long bytes, RunSummary summary)
    {
        Dataset = dataset;
        this.blocks = blocks;
        Rows = rows;
        Bytes = bytes;
        Summary = summary;
    }

    /// <summary>The kept rows, as a dataset to transform further; valid until this is disposed.</summary>
    public Dataset<T> Dataset { get; }

    /// <summary>The rows kept.</summary>
    public long Rows { get; }

    /// <summary>The bytes of the blocks kept.</summary>
    public long Bytes { get; }

    /// <summary>The blocks kept, one per block of the run.</summary>
    public int BlockCount => blocks.Count;

    /// <summary>What the run that made it did.</summary>
    public RunSummary Summary { get; }

    /// <summary>Frees the blocks; datasets made from <see cref="Dataset"/> fail to run afterwards.</summary>
    public void Dispose() => PlexusRuntime.Free([.. blocks]);
}
