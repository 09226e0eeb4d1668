namespace Plexus.Node;

/// <summary>
/// What a new worker process needs to find and join its node; <see cref="Package"/> is the job
/// package whose code it runs (null in the embedded cluster: the driver's own program).
/// </summary>
internal sealed record WorkerLaunchContext(
    int Process,
    ulong NodeId,
    string SocketName,
    string ArenaPath,
    long ArenaCapacity,
    string ClusterToken,
    int Slots,
    string SpillDirectory,
    string? Package = null);
