using MemoryPack;

namespace Plexus.Protocol.Messages;

// A process joining its node: the first frame after the preamble, and the node's answer. The
// header is not checked on these: the process has no address until the node admits it.

/// <summary>First frame a worker sends (its preamble proved the cluster token): says who it is.</summary>
[MemoryPackable]
internal sealed partial class Hello : Message
{
    public required int Process { get; init; }
    public required int Pid { get; init; }
}

/// <summary>
/// First frame of a driver that joins a running node (another program using the same cluster;
/// its preamble proved the cluster token). Answered by <see cref="Attached"/>.
/// </summary>
[MemoryPackable]
internal sealed partial class Attach : Message
{
    public required int Pid { get; init; }

    /// <summary>The driver's job.</summary>
    public JobId Job { get; init; }

    /// <summary>
    /// The job package the job's workers start from (a cluster's content-addressed package id);
    /// null when the node's own workers run the driver's code (the embedded cluster).
    /// </summary>
    public string? Package { get; init; }
}

/// <summary>The node admits a joining driver: its process number and how to map the store.</summary>
[MemoryPackable]
internal sealed partial class Attached : Message
{
    public required int Process { get; init; }
    public required ulong NodeId { get; init; }
    public required string ArenaPath { get; init; }
    public required long ArenaCapacity { get; init; }
}
