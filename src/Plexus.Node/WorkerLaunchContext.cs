namespace Plexus.Node;

/// <summary>What a new worker process needs to find and join its node.</summary>
internal sealed record WorkerLaunchContext(
    int Process,
    ulong NodeId,
    string SocketName,
    string ArenaPath,
    long ArenaCapacity,
    string ClusterToken,
    int Slots,
    string SpillDirectory);
