namespace Plexus.TestingHost;

/// <summary>How each node of an <see cref="InProcessCluster"/> runs; every node gets the same.</summary>
public sealed class SimulatedNodeOptions
{
    /// <summary>Bytes of each node's store. Default: 4 MiB.</summary>
    public long StoreCapacity { get; init; } = 4L << 20;

    /// <summary>The chunk size of copies between nodes. Default: the node's.</summary>
    public int? TransferChunkBytes { get; init; }

    /// <summary>GPUs and custom resources each node offers, by name. Default: none.</summary>
    public IReadOnlyDictionary<string, double> Resources { get; init; } = new Dictionary<string, double>();

    /// <summary>Chunks one copy asks for at once. Default: the node's.</summary>
    public int? TransferChunksInFlight { get; init; }

    /// <summary>
    /// Links the nodes over TCP on the loopback address instead of in memory: the data path of a
    /// link between machines (sockets and their buffers), still in one process. Default: false.
    /// </summary>
    public bool LinkOverTcp { get; init; }
}
