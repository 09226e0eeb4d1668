namespace Plexus.Data.Execution;

/// <summary>An exchange's map side, done: each map's runs (one per partition), their bytes, and the maps' reports (a join's hot keys).</summary>
internal sealed class MappedRuns
{
    public List<ObjectRef<byte[]>[]> Runs { get; } = [];

    public long Bytes { get; set; }

    public List<byte[]> Reports { get; } = [];

    /// <summary>Every map's run of <paramref name="partition"/>, in map order.</summary>
    public ObjectRef<byte[]>[] Partition(int partition) => [.. Runs.Select(r => r[partition])];

    /// <summary>Frees every run.</summary>
    public void Free() => PlexusRuntime.Free([.. Runs.SelectMany(r => r)]);
}
